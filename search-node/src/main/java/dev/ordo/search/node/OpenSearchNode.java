package dev.ordo.search.node;

import static org.codelibs.opensearch.runner.OpenSearchRunner.newConfigs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A single OpenSearch node with analysis-nori on 127.0.0.1, run as the main class of a child JVM
 * ({@link LocalOpenSearch} starts it): {@code OpenSearchNode <dataDir> <httpPort>} prints {@code
 * OPENSEARCH_READY <port>} once the node is green, and stops when its standard input ends (the
 * parent JVM died or closed the pipe) or reads {@code stop}.
 */
public final class OpenSearchNode {

  static final String READY = "OPENSEARCH_READY";

  private OpenSearchNode() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    OpenSearchRunner runner = new OpenSearchRunner();
    // the runner only scans baseHttpPort+1..maxHttpPort for a port; -1 keeps http.port as given
    runner.setMaxHttpPort(-1);
    runner.onBuild((number, settings) -> {
      settings.put("network.host", "127.0.0.1");
      settings.put("http.port", String.valueOf(httpPort));
      settings.put("transport.port", "0");
      settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
      settings.put("indices.breaker.total.use_real_memory", false);
    });
    runner.build(newConfigs().basePath(dataDir.toAbsolutePath().toString()).numOfNode(1).clusterName("ordo-test")
        .pluginTypes("org.opensearch.plugin.analysis.nori.AnalysisNoriPlugin"));
    runner.ensureGreen();
    AtomicBoolean closed = new AtomicBoolean();
    Runnable stop = () -> {
      if (closed.compareAndSet(false, true)) {
        try {
          runner.close();
        } catch (IOException e) {
          e.printStackTrace();
        }
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "opensearch-stop"));
    System.out.println(READY + " " + httpPort);
    System.out.flush();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
        // until end of input or "stop"
      }
    }
    stop.run();
    System.exit(0);
  }
}
