package dev.ordo.topology;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one embedded PostgreSQL 18 of the topology, every service's databases in it, its data kept
 * between runs. zonky runs the server as a daemon through {@code pg_ctl} (in a user namespace when
 * running as root); the server is found again by its data directory's {@code postmaster.pid}, so a
 * server an earlier, killed run left behind is stopped before this one starts.
 */
public final class Postgres {

  private static final Map<String, String> SERVER_CONFIG = serverConfig();

  private final Path data;
  private final Path log;
  private final int port;
  private final Duration startTimeout;
  private final Duration grace;
  private EmbeddedPostgres embedded;

  Postgres(Path data, Path log, int port, Duration startTimeout, Duration grace) {
    this.data = data;
    this.log = log;
    this.port = port;
    this.startTimeout = startTimeout;
    this.grace = grace;
  }

  private static Map<String, String> serverConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    // zonky passes -F (fsync off) and leaves synchronous_commit off: the state is kept between
    // runs and the failure tests kill things, so an acknowledged commit must survive a crash
    config.put("fsync", "on");
    config.put("synchronous_commit", "on");
    config.put("listen_addresses", "127.0.0.1");
    // TCP only: a socket lock file in /tmp naming a killed server's pid would block the next start
    config.put("unix_socket_directories", "''");
    // six services at most, each with a write and a read pool of 24 (ordo.db.pool-size) and a held
    // connection per consumer lease among them
    config.put("max_connections", "400");
    config.put("timezone", "UTC");
    return config;
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return data;
  }

  public Path log() {
    return log;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Starts the server (initdb on first use), after stopping one an earlier run left on the directory. */
  public synchronized void start() {
    if (embedded != null && running()) {
      return;
    }
    closeEmbedded();
    try {
      Files.createDirectories(data);
      Files.createDirectories(log.getParent());
      stopLeftover();
      var builder = EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setPort(port)
          // the topology stops it after the services; zonky's own hook would stop it under them
          .setRegisterShutdownHook(false)
          .setPGStartupWait(startTimeout)
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
      SERVER_CONFIG.forEach(builder::setServerConfig);
      embedded = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + data + "; see " + log, e);
    }
  }

  /** Creates each database that does not exist yet. */
  public void createDatabases(List<String> names) {
    EmbeddedPostgres server;
    synchronized (this) {
      server = embedded;
    }
    try (Connection connection = server.getPostgresDatabase().getConnection();
        PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
        Statement create = connection.createStatement()) {
      for (String name : names) {
        exists.setString(1, name);
        try (ResultSet rs = exists.executeQuery()) {
          if (!rs.next()) {
            create.execute("CREATE DATABASE \"" + name + "\""); // quoted: "order" is a keyword
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the databases " + names, e);
    }
  }

  /** Whether a postgres runs on the data directory. */
  public boolean running() {
    return postmaster().isPresent();
  }

  /** The postmaster's pid, or -1. */
  public long pid() {
    return postmaster().map(ProcessHandle::pid).orElse(-1L);
  }

  /** A fast shutdown ({@code pg_ctl stop -m fast}), then a kill if the server is still there after the grace period. */
  public synchronized void stop() {
    closeEmbedded();
    postmaster().ifPresent(left -> terminate(left, Duration.ofSeconds(1)));
  }

  /** Kills the server (postmaster and backends) at once, as a crash would; the next start recovers from the WAL. */
  public synchronized void kill() {
    postmaster().ifPresent(postmaster -> {
      postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
      postmaster.destroyForcibly();
      awaitGone(Duration.ofSeconds(10));
    });
    closeEmbedded(); // releases zonky's lock on the directory; its pg_ctl stop finds nothing to stop
  }

  private void closeEmbedded() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        // what is left running is found by its pid file and stopped by the caller
      }
      embedded = null;
    }
  }

  /**
   * A server still running here belongs to a run that was killed (the topology's lock keeps a live
   * one away): it is asked to stop, then killed. A pid file whose process is gone is dropped, since
   * PostgreSQL refuses to start while that pid exists (a zombie, or a reused pid).
   */
  private void stopLeftover() throws IOException {
    Optional<ProcessHandle> left = postmaster();
    if (left.isPresent()) {
      terminate(left.get(), grace);
    }
    if (postmaster().isEmpty()) {
      Files.deleteIfExists(data.resolve("postmaster.pid"));
    }
  }

  private void terminate(ProcessHandle postmaster, Duration grace) {
    postmaster.destroy(); // SIGTERM: a smart shutdown, its clients being gone
    if (!awaitGone(grace)) {
      postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
      postmaster.destroyForcibly();
      awaitGone(Duration.ofSeconds(10));
    }
  }

  /** Polls the pid file's process: the JDK's onExit never completes for a zombie nobody reaps. */
  private boolean awaitGone(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (postmaster().isPresent()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Service.sleep(50);
    }
    return true;
  }

  /**
   * The live (not zombie) postgres whose data directory is this one, as its {@code postmaster.pid}
   * names it: the file outlives its process, and its pid may later be another process entirely.
   */
  private Optional<ProcessHandle> postmaster() {
    try {
      List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).strip());
      Path proc = Path.of("/proc", Long.toString(pid));
      String stat = Files.readString(proc.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return Optional.empty();
      }
      String[] args = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
      if (args.length == 0 || !Path.of(args[0]).getFileName().toString().equals("postgres")) {
        return Optional.empty();
      }
      for (int i = 1; i + 1 < args.length; i++) {
        if (args[i].equals("-D") && Files.isSameFile(Path.of(args[i + 1]), data)) {
          return ProcessHandle.of(pid);
        }
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone, being written, or not ours to read
    }
  }
}
