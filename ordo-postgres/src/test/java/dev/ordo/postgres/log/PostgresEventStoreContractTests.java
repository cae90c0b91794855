package dev.ordo.postgres.log;

import dev.ordo.postgres.OrdoMigrations;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.test.EventStoreContract;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

public class PostgresEventStoreContractTests extends EventStoreContract {

  private static HikariDataSource dataSource;
  private final List<PostgresEventStore> opened = new ArrayList<>();

  @BeforeAll
  static void database() {
    dataSource = pool(TestPostgres.createDatabase(), 40);
    OrdoMigrations.migrateLog(dataSource);
  }

  public static HikariDataSource pool(String url, int size) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  @AfterAll
  static void closePool() {
    dataSource.close();
  }

  @BeforeEach
  void emptyLog() throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE events, snapshots, unique_keys, commands RESTART IDENTITY");
    }
  }

  @AfterEach
  void closeStores() {
    opened.forEach(PostgresEventStore::close);
  }

  @Override
  protected EventStore openStore(EventTypes types) {
    var store = new PostgresEventStore(dataSource, types);
    opened.add(store);
    return store;
  }

  /** Writes a row as an append would, in a transaction held open by a connection of its own. */
  @Override
  protected Optional<OpenAppend> beginOpenAppend(String streamId, NewEvent event) {
    try {
      Connection connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("""
          INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                              data, metadata)
          VALUES (?, 1, 'note', ?, ?, ?, ?::jsonb, '{}')
          """)) {
        insert.setString(1, streamId);
        insert.setObject(2, event.eventId());
        insert.setString(3, event.type());
        insert.setInt(4, event.schemaVersion());
        insert.setString(5, event.data());
        insert.executeUpdate();
      }
      return Optional.of(() -> {
        try (connection) {
          connection.commit();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
