package dev.ordo.search.node;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An OpenSearch node for tests, in a child JVM on 127.0.0.1, from the classpath this module wrote
 * at build time (its own Jackson, netty and Log4j, never the test's). Plain JDK: a test depends on
 * this module without its dependencies. The child dies with the test JVM: its standard input ends
 * then.
 */
public final class LocalOpenSearch implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private Process process;

  private LocalOpenSearch(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Starts a node keeping its data under {@code dataDir} on a free port; returns once it is green. */
  public static LocalOpenSearch start(Path dataDir) {
    LocalOpenSearch node = new LocalOpenSearch(dataDir.toAbsolutePath(), freePort());
    node.restart();
    return node;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the node again on the same port and data (after {@link #stop()}). */
  public synchronized void restart() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
      List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
          "-Dlog4j.shutdownHookEnabled=false", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
          "-cp", classpath(), OpenSearchNode.class.getName(), dataDir.toString(), Integer.toString(port)));
      Path log = dataDir.resolve("node.log");
      Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Thread output = new Thread(() -> pump(started.getInputStream(), log, ready), "opensearch-node-output");
      output.setDaemon(true);
      output.start();
      try {
        ready.get(180, TimeUnit.SECONDS);
      } catch (Exception e) {
        started.destroyForcibly();
        throw new IllegalStateException("the OpenSearch node did not start, see " + log, e);
      }
      process = started;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the OpenSearch node", e);
    }
  }

  private static void pump(InputStream in, Path log, CompletableFuture<Void> ready) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      String line;
      while ((line = lines.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        if (line.contains(OpenSearchNode.READY)) { // the child's System.out goes through its Log4j
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    ready.completeExceptionally(new IllegalStateException("the node exited"));
  }

  /** Stops the node; its data stays. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write("stop\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** This module's classes (a directory or its jar) and the node's dependencies as the build resolved them. */
  private static String classpath() throws IOException {
    try (InputStream file = LocalOpenSearch.class.getResourceAsStream("node.classpath")) {
      if (file == null) {
        throw new IllegalStateException("node.classpath is missing: build the search-node module");
      }
      String dependencies = new String(file.readAllBytes(), StandardCharsets.UTF_8).strip();
      Path own = Path.of(LocalOpenSearch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return own + File.pathSeparator + dependencies;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
