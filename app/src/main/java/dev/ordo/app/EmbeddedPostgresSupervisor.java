package dev.ordo.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Keeps one embedded PostgreSQL running on one data directory (ARCHITECTURE.md decision 12).
 * zonky starts the server as a daemon through {@code pg_ctl}: it outlives a killed JVM, and nothing
 * tells the app when it dies. So a start first stops a server an earlier, killed run left on the
 * data directory (and drops a stale pid file), and while the app runs a thread watches the
 * postmaster and, when it is gone, starts it again on the same port and data directory: the
 * connection pools find it there by themselves. Crash recovery (WAL replay, with {@code fsync} and
 * {@code synchronous_commit} on) keeps every acknowledged commit.
 */
final class EmbeddedPostgresSupervisor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresSupervisor.class);
  private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);
  private static final Duration LEFTOVER_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final Map<String, String> SERVER_CONFIG = serverConfig();

  private final Path pgData;
  private final EmbeddedPostgres embedded;
  private final Path pgCtl;
  private final Thread watcher;
  private volatile Postmaster postmaster;
  private volatile boolean running = true;
  private volatile boolean closed;
  private volatile Runnable afterRestart = () -> {};

  private EmbeddedPostgresSupervisor(Path pgData, EmbeddedPostgres embedded, Postmaster postmaster) throws IOException {
    this.pgData = pgData;
    this.embedded = embedded;
    this.postmaster = postmaster;
    this.pgCtl = Postmaster.OBSERVABLE ? postmaster.executable().resolveSibling("pg_ctl") : null;
    this.watcher = Thread.ofPlatform().daemon().name("embedded-postgres-supervisor").unstarted(this::supervise);
  }

  private static Map<String, String> serverConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("fsync", "on"); // zonky passes -F (fsync off) before these settings; this one wins
    config.put("synchronous_commit", "on"); // zonky's default is off; an acknowledged event must survive a crash
    config.put("listen_addresses", "127.0.0.1");
    // TCP only: a socket lock file in /tmp naming a killed server's pid would block the restart
    config.put("unix_socket_directories", "''");
    config.put("max_connections", "200");
    config.put("timezone", "UTC");
    return config;
  }

  /** Stops what an earlier run left on {@code pgData}, then starts the server (initdb on first use). */
  static EmbeddedPostgresSupervisor start(Path pgData) {
    try {
      Files.createDirectories(pgData);
      // (nothing can run on a directory without PG_VERSION, and initdb wants it empty)
      if (Postmaster.OBSERVABLE && Files.exists(pgData.resolve("PG_VERSION"))) {
        stopLeftover(pgData);
      }
      var builder = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          // the app's shutdown stops it, after the pools; zonky's own hook would stop it under them
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(30));
      SERVER_CONFIG.forEach(builder::setServerConfig);
      EmbeddedPostgres embedded = builder.start();
      try {
        Postmaster postmaster = Postmaster.of(pgData).orElseThrow(() -> new IOException("no " + Postmaster.PID_FILE));
        return new EmbeddedPostgresSupervisor(pgData, embedded, postmaster);
      } catch (IOException | RuntimeException e) {
        embedded.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgData, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded PostgreSQL", e);
    }
  }

  /**
   * A server still running here belongs to a run that was killed (this one has not started one
   * yet, and a second app on the same directory would hold zonky's lock): it is stopped so the
   * new one owns the directory. A pid file whose process is gone is dropped, since PostgreSQL
   * refuses to start while its pid exists (a zombie, or a reused pid).
   */
  private static void stopLeftover(Path pgData) throws IOException, InterruptedException {
    // zonky's lock file, held by the JVM whose server it is: a live app's server is not a leftover
    try (FileChannel channel = FileChannel.open(pgData.resolve("epg-lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new IllegalStateException("another running app uses the embedded PostgreSQL in " + pgData);
      }
      var left = Postmaster.of(pgData);
      if (left.isPresent() && left.get().runsOn(pgData)) {
        log.warn("a PostgreSQL (pid {}) left running on {} by an earlier run: stopping it", left.get().pid(), pgData);
        left.get().stop(pgData, LEFTOVER_SHUTDOWN_GRACE);
      }
      dropStalePidFile(pgData);
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException("this JVM already runs an embedded PostgreSQL in " + pgData, e);
    }
  }

  private static void dropStalePidFile(Path pgData) throws IOException {
    var left = Postmaster.of(pgData);
    if (left.isPresent() && !left.get().runsOn(pgData)) {
      log.info("removing the pid file of a PostgreSQL (pid {}) that is gone", left.get().pid());
      Files.deleteIfExists(pgData.resolve(Postmaster.PID_FILE));
    }
  }

  /** Starts watching; {@code afterRestart} runs each time the server is back after a restart. */
  void watch(Runnable afterRestart) {
    this.afterRestart = afterRestart;
    if (Postmaster.OBSERVABLE) {
      watcher.start();
    } else {
      log.warn("no /proc here: the embedded PostgreSQL is not supervised");
    }
  }

  int port() {
    return embedded.getPort();
  }

  String jdbcUrl(String database) {
    return embedded.getJdbcUrl("postgres", database);
  }

  DataSource adminDataSource() {
    return embedded.getPostgresDatabase();
  }

  /**
   * {@code pool}, failing at once while the server is known to be gone: requests answer 503 and
   * health says DOWN without each waiting out the pool's connection timeout.
   */
  DataSource failingFastWhileDown(DataSource pool) {
    return new DelegatingDataSource(pool) {
      @Override
      public Connection getConnection() throws SQLException {
        if (!running) {
          throw new SQLTransientConnectionException("the embedded PostgreSQL is restarting");
        }
        return super.getConnection();
      }
    };
  }

  private void supervise() {
    while (!closed) {
      try {
        Thread.sleep(WATCH_INTERVAL);
        if (!closed && !postmaster.runsOn(pgData)) {
          restart();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("supervising the embedded PostgreSQL failed; trying again", e);
      }
    }
  }

  private void restart() throws InterruptedException {
    running = false;
    long began = System.nanoTime();
    log.warn("the embedded PostgreSQL (pid {}) is gone: starting it again on port {}", postmaster.pid(), port());
    for (int attempt = 1; !closed; attempt++) {
      try {
        dropStalePidFile(pgData);
        String failure = pgCtl("start", "-w", "-t", "60", "-l", pgData.resolveSibling("postgres.log").toString(),
            "-o", serverOptions());
        var started = Postmaster.of(pgData);
        if (failure == null && started.isPresent() && started.get().runsOn(pgData)) {
          postmaster = started.get();
          afterRestart.run();
          running = true;
          log.info("the embedded PostgreSQL is back (pid {}) after {} ms", postmaster.pid(),
              Duration.ofNanos(System.nanoTime() - began).toMillis());
          return;
        }
        // e.g. backends of the killed server still hold its shared memory for a moment
        if (attempt == 1 || attempt % 20 == 0) {
          log.warn("starting the embedded PostgreSQL failed (attempt {}): {}", attempt, failure);
        }
      } catch (IOException e) {
        log.warn("starting the embedded PostgreSQL failed (attempt {})", attempt, e);
      }
      Thread.sleep(250);
    }
  }

  private String serverOptions() {
    List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port())));
    SERVER_CONFIG.forEach((name, value) -> options.addAll(List.of("-c", name + "=" + value)));
    return String.join(" ", options);
  }

  /** Runs pg_ctl as zonky does (in a user namespace when running as root); null, or why it failed. */
  private String pgCtl(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(pgCtl.toString());
    command.addAll(List.of("-D", pgData.toString()));
    command.addAll(List.of(arguments));
    // with -l the server writes to its log file, so pg_ctl's output ends when pg_ctl does
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.waitFor() == 0 ? null : output;
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    try {
      watcher.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      embedded.close(); // pg_ctl stop: whichever server runs on the data directory now
    } catch (IOException e) {
      log.warn("stopping the embedded PostgreSQL failed", e);
    }
  }
}
