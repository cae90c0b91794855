package dev.ordo.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How to start a topology.
 *
 * @param directory      its state: PostgreSQL's and Kafka's data, each service's data directory, the logs
 * @param appJar         {@code app/target/ordo-app.jar}, run once per role
 * @param gatewayJar     {@code gateway/target/ordo-gateway.jar}
 * @param ports          where each process listens
 * @param splitReadModel the read-model service as {@code consumer} (building) and {@code api}
 *                       (answering, behind the gateway) instead of one {@code full} instance
 * @param startTimeout   how long each engine and each service may take to come up
 * @param grace          how long a stopped process may take before it is killed
 * @param progress       where the lines telling what is happening go
 */
public record Options(Path directory, Path appJar, Path gatewayJar, Ports ports, boolean splitReadModel,
    Duration startTimeout, Duration grace, Consumer<String> progress) {

  /** {@code ./data/topology}, the jars where the build leaves them, the seed ports, one read-model service. */
  public static Options defaults() {
    return new Options(Path.of("data", "topology"), Path.of("app", "target", "ordo-app.jar"),
        Path.of("gateway", "target", "ordo-gateway.jar"), Ports.seed(), false, Duration.ofMinutes(3),
        Duration.ofSeconds(20), System.out::println);
  }

  public Options withDirectory(Path directory) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withJars(Path appJar, Path gatewayJar) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withPorts(Ports ports) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withSplitReadModel(boolean splitReadModel) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withStartTimeout(Duration startTimeout) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withGrace(Duration grace) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }

  public Options withProgress(Consumer<String> progress) {
    return new Options(directory, appJar, gatewayJar, ports, splitReadModel, startTimeout, grace, progress);
  }
}
