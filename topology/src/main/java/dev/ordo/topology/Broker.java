package dev.ordo.topology;

import dev.ordo.kafka.broker.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The topology's Kafka: a single-node KRaft {@link KafkaBroker} in a child JVM, its data under the
 * topology's directory (topics and offsets survive a stop), its log linked from the logs directory.
 */
public final class Broker {

  private final KafkaBroker kafka;
  private final Path directory;
  private final Path logLink;
  private final Duration startTimeout;
  private final Duration grace;

  Broker(Path directory, Path logLink, String classPath, int port, int partitions, Duration startTimeout,
      Duration grace) {
    this.kafka = new KafkaBroker(directory, classPath, port, partitions);
    this.directory = directory;
    this.logLink = logLink;
    this.startTimeout = startTimeout;
    this.grace = grace;
  }

  /** Starts it (formatting its storage the first time) and waits until it takes connections. */
  public void start() {
    kafka.start(startTimeout);
    linkLog();
  }

  /** A controlled shutdown, or a kill after the grace period. */
  public void stop() {
    kafka.stop(grace);
  }

  /** Kills it at once, as a crash would. */
  public void kill() {
    kafka.kill();
  }

  public boolean running() {
    return kafka.running();
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public int port() {
    return kafka.port();
  }

  /** The broker's log ({@code broker.log} in its directory, linked as {@code logs/kafka.log}). */
  public Path log() {
    return Files.isSymbolicLink(logLink) ? logLink : directory.resolve("broker.log");
  }

  /** The broker JVM's pid, or -1 when it does not run. */
  public long pid() {
    String config = serverProperties(directory);
    return ProcessHandle.current().children()
        .filter(child -> Leftovers.arguments(child).contains(config))
        .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
  }

  /** The broker's configuration file: its command line names it, which is how it is found. */
  static String serverProperties(Path directory) {
    return directory.resolve("server.properties").toString();
  }

  private void linkLog() {
    try {
      if (!Files.exists(logLink, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(logLink.getParent());
        Files.createSymbolicLink(logLink, logLink.getParent().relativize(directory.resolve("broker.log")));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no link here: log() names the file itself
    }
  }
}
