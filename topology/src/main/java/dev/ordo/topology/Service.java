package dev.ordo.topology;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * One child JVM of the topology: a role of the app, or the gateway. Its stdout and stderr are
 * appended to its log file; it is healthy when {@code /actuator/health} answers {@code UP}. Tests
 * stop, kill and start it again under a running topology; it comes back with the same command, on
 * the same port and databases.
 */
public final class Service {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int TAIL_LINES = 40;

  private final String name;
  private final String role;
  private final int port;
  private final List<String> command;
  private final Path log;
  private final Duration startTimeout;
  private final Duration grace;
  private final BooleanSupplier stopping;
  private Process process;
  private long logOffset;

  Service(String name, String role, int port, List<String> command, Path log, Duration startTimeout, Duration grace,
      BooleanSupplier stopping) {
    this.name = name;
    this.role = role;
    this.port = port;
    this.command = List.copyOf(command);
    this.log = log;
    this.startTimeout = startTimeout;
    this.grace = grace;
    this.stopping = stopping;
  }

  public String name() {
    return name;
  }

  /** The Spring profile it runs ({@code order}, {@code full}, …), or {@code gateway}. */
  public String role() {
    return role;
  }

  public int port() {
    return port;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Path log() {
    return log;
  }

  /** The command line it runs with. */
  public List<String> command() {
    return command;
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** The pid of its current (or last) process; -1 before the first start. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The exit code of its last process, once that has exited. */
  public synchronized OptionalInt exitCode() {
    return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Starts it and waits until it is healthy; nothing to start when it runs. */
  public void start() {
    launch();
    awaitHealthy(startTimeout);
  }

  /** Starts the process without waiting for it; nothing when it runs. */
  public synchronized void launch() {
    if (running()) {
      return;
    }
    if (stopping.getAsBoolean()) {
      throw new IllegalStateException("the topology is stopping: " + name + " is not started");
    }
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "%n===== %s: %s started by the topology =====%n".formatted(Instant.now(), name),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      logOffset = Files.size(log);
      var builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // the command line says everything; an ORDO_* or SPRING_* of the caller's shell must not add to it
      builder.environment().keySet().removeIf(key -> key.startsWith("ORDO_") || key.startsWith("SPRING_"));
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Whether {@code /actuator/health} answers 200 with status {@code UP} now. */
  public boolean healthy() {
    var request = HttpRequest.newBuilder(url().resolve("/actuator/health")).timeout(Duration.ofSeconds(2)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && "UP".equals(JSON.readTree(response.body()).path("status").asString());
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until it is healthy; fails, naming it and its log (with the log's last lines), when it
   * exits first or is not healthy within {@code timeout}.
   */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Process current;
      synchronized (this) {
        current = process;
      }
      if (current == null) {
        throw new IllegalStateException(name + " is not started");
      }
      if (!current.isAlive()) {
        throw failure(name + " exited with code " + current.exitValue() + " before it was healthy");
      }
      if (healthy()) {
        return;
      }
      if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("the topology is stopping: stopped waiting for " + name);
      }
      if (System.nanoTime() > deadline) {
        throw failure(name + " did not answer UP on " + url() + "/actuator/health within " + timeout.toSeconds() + " s");
      }
      sleep(250);
    }
  }

  IllegalStateException failure(String what) {
    return new IllegalStateException(what + "; its log is " + log + ", ending:\n" + logTail(TAIL_LINES));
  }

  /** Stops it as an operator would (SIGTERM: Spring's graceful shutdown), killing it after the grace period. */
  public void stop() {
    stop(grace);
  }

  public synchronized void stop(Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills it at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines its log has had since it was last started. */
  public String logTail(int lines) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(logOffset, file.length() - 256 * 1024);
      byte[] bytes = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
      return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (" + url() + ", pid " + pid() + ")";
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
