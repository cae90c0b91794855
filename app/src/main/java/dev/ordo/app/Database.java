package dev.ordo.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write database and the read database (ARCHITECTURE.md decision 7): an external PostgreSQL
 * when a URL is given, else two databases of an embedded PostgreSQL 18 whose data directory lives
 * under the app's data directory and survives restarts (decision 8), supervised (decision 12).
 */
final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);
  static final String WRITE_DATABASE = "ordo";
  static final String READ_DATABASE = "ordo_read";

  private final EmbeddedPostgresSupervisor embedded;
  private final HikariDataSource pool;
  private final HikariDataSource readPool;
  private final DataSource dataSource;
  private final DataSource readDataSource;

  private Database(EmbeddedPostgresSupervisor embedded, HikariDataSource pool, HikariDataSource readPool,
      DataSource dataSource, DataSource readDataSource) {
    this.embedded = embedded;
    this.pool = pool;
    this.readPool = readPool;
    this.dataSource = dataSource;
    this.readDataSource = readDataSource;
  }

  /** The read database defaults to the write database's URL when none is given. */
  static Database external(String url, String readUrl, String user, String password, int poolSize) {
    String read = readUrl == null || readUrl.isBlank() ? url : readUrl;
    log.info("using the PostgreSQL at {} (read models at {})", url, read);
    HikariDataSource pool = pool("ordo-write", url, user, password, poolSize);
    HikariDataSource readPool = pool("ordo-read", read, user, password, poolSize);
    return new Database(null, pool, readPool, pool, readPool);
  }

  static Database embedded(Path dataDirectory, int poolSize) {
    var server = EmbeddedPostgresSupervisor.start(dataDirectory.resolve("postgres").toAbsolutePath());
    try {
      createDatabaseIfMissing(server.adminDataSource(), WRITE_DATABASE);
      createDatabaseIfMissing(server.adminDataSource(), READ_DATABASE);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("embedded PostgreSQL on port {} with data in {}", server.port(), dataDirectory.resolve("postgres"));
    HikariDataSource pool = pool("ordo-write", server.jdbcUrl(WRITE_DATABASE), "postgres", null, poolSize);
    HikariDataSource readPool = pool("ordo-read", server.jdbcUrl(READ_DATABASE), "postgres", null, poolSize);
    server.watch(() -> {
      // connections to the server that died would each fail once before the pool drops them
      pool.getHikariPoolMXBean().softEvictConnections();
      readPool.getHikariPoolMXBean().softEvictConnections();
    });
    return new Database(server, pool, readPool, server.failingFastWhileDown(pool), server.failingFastWhileDown(readPool));
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
    // Fail fast while the database is down: callers answer 503 within 2 s instead of hanging.
    config.setConnectionTimeout(1_500);
    config.setValidationTimeout(1_000);
    return new HikariDataSource(config);
  }

  DataSource dataSource() {
    return dataSource;
  }

  DataSource readDataSource() {
    return readDataSource;
  }

  @Override
  public void close() {
    readPool.close();
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
