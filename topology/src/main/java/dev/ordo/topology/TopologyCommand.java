package dev.ordo.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@code ./ordo topology}: starts the topology, prints where everything is, runs until stopped. */
@Command(name = "ordo topology", sortOptions = false,
    description = "Runs Ordo's distributed topology on this machine: an embedded PostgreSQL, a single-node Kafka, "
        + "the order, dispatch, delivery and catalog write services, the read-model service and the gateway, "
        + "all on 127.0.0.1. Ctrl-C (or SIGTERM to this process) stops everything, PostgreSQL last.",
    footer = {"", "Logs: <data-dir>/logs/<name>.log. State is kept in <data-dir> between runs."})
final class TopologyCommand implements Callable<Integer> {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  enum ReadModel { FULL, SPLIT }

  @Option(names = "--read-model", defaultValue = "full", paramLabel = "full|split",
      description = "full: one read-model service (profile full, port base+4); split: a consumer (base+4) "
          + "and an api (base+6) on the same databases, the gateway's queries going to the api. Default: ${DEFAULT-VALUE}.")
  ReadModel readModel;

  @Option(names = "--data-dir", defaultValue = "data/topology", paramLabel = "DIR",
      description = "Where the state and the logs live. Default: ${DEFAULT-VALUE}.")
  Path directory;

  @Option(names = "--port-base", defaultValue = "8080", paramLabel = "PORT",
      description = "The gateway's port; order, dispatch, delivery, read model, catalog and the api on the next six. "
          + "Default: ${DEFAULT-VALUE}.")
  int portBase;

  @Option(names = "--postgres-port", defaultValue = "15432", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
  int postgresPort;

  @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
  int kafkaPort;

  @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS",
      description = "How long each engine and service may take to come up. Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  @Option(names = "--grace", defaultValue = "20", paramLabel = "SECONDS",
      description = "How long a stopped process may take before it is killed. Default: ${DEFAULT-VALUE}.")
  long graceSeconds;

  @Option(names = "--app-jar", defaultValue = "app/target/ordo-app.jar", paramLabel = "JAR",
      description = "Default: ${DEFAULT-VALUE}.")
  Path appJar;

  @Option(names = "--gateway-jar", defaultValue = "gateway/target/ordo-gateway.jar", paramLabel = "JAR",
      description = "Default: ${DEFAULT-VALUE}.")
  Path gatewayJar;

  @Override
  public Integer call() throws InterruptedException {
    Options options = Options.defaults()
        .withDirectory(directory)
        .withJars(appJar, gatewayJar)
        .withPorts(Ports.base(portBase, postgresPort, kafkaPort))
        .withSplitReadModel(readModel == ReadModel.SPLIT)
        .withStartTimeout(Duration.ofSeconds(timeoutSeconds))
        .withGrace(Duration.ofSeconds(graceSeconds))
        .withProgress(line -> System.out.println("ordo topology: " + line));
    Topology topology;
    try {
      topology = Topology.prepare(options);
    } catch (RuntimeException e) {
      System.err.println("ordo topology: " + e.getMessage());
      return 1;
    }
    Thread hook = Thread.ofPlatform().name("topology-shutdown").unstarted(topology::close);
    Runtime.getRuntime().addShutdownHook(hook);
    Path pidFile = topology.directory().resolve("topology.pid");
    try {
      topology.startAll();
    } catch (RuntimeException e) {
      System.err.println("ordo topology: " + e.getMessage());
      return 1;
    }
    writePid(pidFile);
    System.out.println();
    System.out.print(topology.table());
    System.out.println();
    System.out.println("Clients use the gateway: " + topology.url(Topology.GATEWAY)
        + "   Ctrl-C or kill " + ProcessHandle.current().pid() + " stops everything.");
    watch(topology);
    return 0;
  }

  /** Says so when a service exits by itself (nothing restarts it: the topology is for watching what happens). */
  private static void watch(Topology topology) throws InterruptedException {
    Set<String> reported = new HashSet<>();
    while (true) {
      Thread.sleep(1000);
      if (topology.stopping()) {
        Thread.sleep(Long.MAX_VALUE); // the shutdown hook stops everything, then the JVM ends
      }
      for (Service service : topology.services()) {
        if (!service.running() && reported.add(service.name() + "@" + service.pid())) {
          System.err.println("ordo topology: " + service.name() + " exited with code "
              + service.exitCode().orElse(-1) + "; see " + service.log());
        }
      }
    }
  }

  private static void writePid(Path pidFile) {
    try {
      Files.writeString(pidFile, ProcessHandle.current().pid() + System.lineSeparator());
    } catch (IOException e) {
      System.err.println("ordo topology: cannot write " + pidFile + ": " + e.getMessage());
    }
  }
}
