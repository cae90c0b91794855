package dev.ordo.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka in KRaft mode (broker and controller in one), run as a child JVM on
 * 127.0.0.1 from the Kafka server jars on a given class path: what the tests and {@code ./ordo
 * topology} start, so nothing has to be installed. Its data stays under its directory, so a broker
 * stopped (or killed) and started again keeps its topics and offsets, as a real one does.
 */
public final class KafkaBroker implements AutoCloseable {

  private final Path directory;
  private final String classPath;
  private final int port;
  private final int controllerPort;
  private final int partitions;
  private Process process;

  /**
   * @param directory  where its data and log live; formatted on the first start
   * @param classPath  a class path holding {@code kafka_2.13} and its dependencies, or a Spring Boot
   *                   jar that nests them (run through its {@code PropertiesLauncher})
   * @param port       the client port, 0 for a free one
   * @param partitions partitions of a topic created without saying how many
   */
  public KafkaBroker(Path directory, String classPath, int port, int partitions) {
    this.directory = directory;
    this.classPath = classPath;
    this.port = port == 0 ? freePort() : port;
    this.controllerPort = freePort();
    this.partitions = partitions;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the broker (formatting its storage the first time) and waits until it takes connections. */
  public synchronized KafkaBroker start(Duration timeout) {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      Files.createDirectories(directory);
      Path config = writeConfig();
      if (!Files.exists(directory.resolve("data/meta.properties"))) {
        run("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString());
      }
      process = java("kafka.Kafka", config.toString()).start();
      awaitPort(timeout);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the broker as an operator would (controlled shutdown), or kills it after {@code grace}. */
  public synchronized void stop(Duration grace) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Kills the broker at once, as a crash would. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  private Path writeConfig() throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", directory.resolve("data").toString());
    p.setProperty("num.partitions", Integer.toString(partitions));
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    // the log keeps every event: consumers replay from offset 0
    p.setProperty("log.retention.ms", "-1");
    Path config = directory.resolve("server.properties");
    try (var out = Files.newBufferedWriter(config)) {
      p.store(out, "written by Ordo's KafkaBroker");
    }
    return config;
  }

  /** The cluster id is fixed by the first format; kept beside the data. */
  private String clusterId() throws IOException {
    Path file = directory.resolve("cluster-id");
    if (!Files.exists(file)) {
      UUID uuid = UUID.randomUUID();
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16)
          .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      Files.writeString(file, id);
    }
    return Files.readString(file).strip();
  }

  private void run(String mainClass, String... args) throws IOException {
    Process tool = java(mainClass, args).start();
    try {
      if (!tool.waitFor(2, TimeUnit.MINUTES) || tool.exitValue() != 0) {
        tool.destroyForcibly();
        throw new IllegalStateException(mainClass + " failed; see " + directory.resolve("broker.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + mainClass, e);
    }
  }

  private ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dlog4j2.level=WARN", "-Dlogback.configurationFile=" + logbackConfig(), "-cp", classPath));
    if (bootJar(classPath)) {
      command.addAll(List.of("-Dloader.main=" + mainClass, "org.springframework.boot.loader.launch.PropertiesLauncher"));
    } else {
      command.add(mainClass);
    }
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()));
  }

  private static boolean bootJar(String classPath) {
    if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
      return false;
    }
    try (var jar = new java.util.jar.JarFile(classPath)) {
      return jar.getEntry("BOOT-INF/lib/") != null || jar.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/lib/"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Warnings only: a broker at INFO writes megabytes a minute. */
  private String logbackConfig() {
    Path file = directory.resolve("logback.xml");
    try {
      Files.writeString(file, """
          <configuration>
            <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d %-5level [%logger{20}] %msg%n</pattern></encoder>
            </appender>
            <root level="WARN"><appender-ref ref="OUT"/></root>
          </configuration>
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toString();
  }

  private void awaitPort(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see "
            + directory.resolve("broker.log"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException("Kafka did not listen on " + port + " within " + timeout);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
