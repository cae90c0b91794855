package dev.ordo.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The processes an earlier run on the same directory left running when it was killed (a SIGKILL
 * gives the launcher no chance to stop its children). Each JVM the topology starts carries the
 * directory on its command line ({@link #MARKER}; the broker names its configuration file there),
 * so they are found again by that, and only by that. PostgreSQL is found by its pid file
 * ({@link Postgres}).
 */
final class Leftovers {

  /** A system property each service and gateway JVM is started with: which topology it belongs to. */
  static final String MARKER = "-Dordo.topology.dir=";

  private Leftovers() {}

  /** The service and gateway JVMs of a topology on {@code directory}. */
  static List<ProcessHandle> services(Path directory) {
    return withArgument(MARKER + directory);
  }

  /** Its Kafka broker's JVM. */
  static List<ProcessHandle> broker(Path kafkaDirectory) {
    return withArgument(Broker.serverProperties(kafkaDirectory));
  }

  private static List<ProcessHandle> withArgument(String argument) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(process -> arguments(process).contains(argument))
        .toList();
  }

  /**
   * A process's command line, from {@code /proc} where there is one: the JDK's {@link
   * ProcessHandle.Info#arguments()} reads one page of it and gives nothing for a longer one (a JVM
   * with a long class path, such as the broker's).
   */
  static List<String> arguments(ProcessHandle process) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | RuntimeException e) {
      return Arrays.asList(process.info().arguments().orElse(new String[0]));
    }
  }

  /** SIGTERM to each, SIGKILL to those still there after {@code grace}. */
  static void stop(List<ProcessHandle> processes, Duration grace) {
    processes.forEach(ProcessHandle::destroy);
    if (!awaitGone(processes, grace)) {
      processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      awaitGone(processes, Duration.ofSeconds(5));
    }
  }

  private static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Service.sleep(100);
    }
    return true;
  }
}
