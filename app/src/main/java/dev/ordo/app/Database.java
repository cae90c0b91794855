package dev.ordo.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write database and the read database (ARCHITECTURE.md decision 7): an external PostgreSQL
 * when a URL is given, else two databases of an embedded PostgreSQL 18 whose data directory lives
 * under the app's data directory and survives restarts (decision 8).
 */
final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);
  static final String WRITE_DATABASE = "ordo";
  static final String READ_DATABASE = "ordo_read";

  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;
  private final HikariDataSource readPool;

  private Database(EmbeddedPostgres embedded, HikariDataSource pool, HikariDataSource readPool) {
    this.embedded = embedded;
    this.pool = pool;
    this.readPool = readPool;
  }

  /** The read database defaults to the write database's URL when none is given. */
  static Database external(String url, String readUrl, String user, String password, int poolSize) {
    String read = readUrl == null || readUrl.isBlank() ? url : readUrl;
    log.info("using the PostgreSQL at {} (read models at {})", url, read);
    return new Database(null, pool("ordo-write", url, user, password, poolSize),
        pool("ordo-read", read, user, password, poolSize));
  }

  static Database embedded(Path dataDirectory, int poolSize) {
    Path pgData = dataDirectory.resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(pgData);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          // zonky turns synchronous commit off for tests; an acknowledged event must survive a crash
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "200")
          .setPGStartupWait(Duration.ofSeconds(30))
          .start();
      createDatabaseIfMissing(postgres.getPostgresDatabase(), WRITE_DATABASE);
      createDatabaseIfMissing(postgres.getPostgresDatabase(), READ_DATABASE);
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
      return new Database(postgres,
          pool("ordo-write", postgres.getJdbcUrl("postgres", WRITE_DATABASE), "postgres", null, poolSize),
          pool("ordo-read", postgres.getJdbcUrl("postgres", READ_DATABASE), "postgres", null, poolSize));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgData, e);
    }
  }

  private static void createDatabaseIfMissing(DataSource admin, String name) {
    try (Connection connection = admin.getConnection();
        PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
  }

  private static HikariDataSource pool(String name, String url, String user, String password, int poolSize) {
    var config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    // Fail fast while the database is down: callers answer 503 instead of hanging.
    config.setConnectionTimeout(2_000);
    config.setValidationTimeout(1_000);
    return new HikariDataSource(config);
  }

  DataSource dataSource() {
    return pool;
  }

  DataSource readDataSource() {
    return readPool;
  }

  @Override
  public void close() {
    readPool.close();
    pool.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("stopping the embedded PostgreSQL failed", e);
      }
    }
  }
}
