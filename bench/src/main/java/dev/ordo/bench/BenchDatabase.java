package dev.ordo.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.postgres.OrdoMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded PostgreSQL 18 for the whole run, configured as the app runs it (fsync and
 * synchronous commit on), so Ordo and every baseline meet the same disk and the same server.
 */
final class BenchDatabase implements AutoCloseable {

  /** The log table's exact shape, for the raw JDBC baselines. */
  private static final String BASELINE_TABLE = """
      CREATE TABLE IF NOT EXISTS baseline_events (LIKE events INCLUDING ALL)
      """;

  private final EmbeddedPostgres postgres;
  final HikariDataSource dataSource;

  BenchDatabase(int poolSize) throws IOException {
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("fsync", "on")
        .setServerConfig("shared_buffers", "512MB")
        .setServerConfig("max_connections", "300")
        .setServerConfig("max_wal_size", "4GB")
        .start();
    var config = new HikariConfig();
    config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    config.setUsername("postgres");
    config.setMaximumPoolSize(poolSize);
    dataSource = new HikariDataSource(config);
    OrdoMigrations.migrateLog(dataSource);
    execute(BASELINE_TABLE);
  }

  void execute(String sql) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Both tables empty and vacuumed, so every measurement starts from the same state. */
  void reset() {
    execute("TRUNCATE events, snapshots, unique_keys, commands, baseline_events RESTART IDENTITY");
    execute("""
        DO $$ BEGIN
          IF to_regclass('domain_event_entry') IS NOT NULL THEN TRUNCATE domain_event_entry; END IF;
        END $$""");
    execute("VACUUM ANALYZE events");
    execute("VACUUM ANALYZE baseline_events");
    execute("CHECKPOINT");
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /**
   * A new, empty database on the same server for an app of its own (the app migrates it): nothing
   * an earlier benchmark or run left, no read model or process checkpoint included. Dropped if it
   * exists.
   */
  String createDatabase(String name) {
    dropDatabase(name);
    execute("CREATE DATABASE " + name);
    return postgres.getJdbcUrl("postgres", name);
  }

  void dropDatabase(String name) {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  String version() {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    dataSource.close();
    postgres.close();
  }
}
