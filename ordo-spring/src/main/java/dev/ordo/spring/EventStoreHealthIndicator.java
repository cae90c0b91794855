package dev.ordo.spring;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP when the log can be read: reports its last position; DOWN when the database cannot be reached. */
public class EventStoreHealthIndicator extends AbstractHealthIndicator {

  private static final String LAST_POSITION = """
      SELECT coalesce(max(global_position), 0) FROM events
      """;

  private final DataSource dataSource;

  public EventStoreHealthIndicator(DataSource dataSource) {
    super("event store unreachable");
    this.dataSource = dataSource;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(2);
      try (ResultSet rs = statement.executeQuery(LAST_POSITION)) {
        rs.next();
        builder.up().withDetail("lastPosition", rs.getLong(1));
      }
    }
  }
}
