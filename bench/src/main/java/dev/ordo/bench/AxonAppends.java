package dev.ordo.bench;

import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The baseline users would pick instead: Axon Framework 4.13's JDBC event storage engine on the
 * same PostgreSQL, appending the same events through its API from the same number of writers.
 * Configured as Axon documents it for PostgreSQL: {@link PostgresEventTableFactory} for the
 * schema (BIGSERIAL global index, unique aggregate id and sequence number), the Jackson serializer
 * (JSON, like Ordo), a pooled data source, each append its own transaction.
 */
final class AxonAppends {

  /** The payload of a stock adjustment, as an Axon user would write it. */
  record StockAdjusted(String productId, int delta, String reason, String relatedOrderId) {}

  private final JdbcEventStorageEngine engine;
  private final long[] sequences;
  private final int[] streams;

  AxonAppends(DataSource dataSource, int writers) {
    var serializer = JacksonSerializer.defaultSerializer();
    engine = JdbcEventStorageEngine.builder()
        .connectionProvider(new DataSourceConnectionProvider(dataSource))
        .transactionManager(NoTransactionManager.INSTANCE)
        .eventSerializer(serializer)
        .snapshotSerializer(serializer)
        .batchSize(100)
        .build();
    engine.createSchema(PostgresEventTableFactory.INSTANCE);
    sequences = new long[writers];
    streams = new int[writers];
  }

  /** One event appended to the writer's current aggregate, moving to a fresh one after 100. */
  Load.Operation append(String runId) {
    var payload = new StockAdjusted("7f1c8d9e-4b2a-4c3d-9e8f-1a2b3c4d5e6f", -1, "ORDER",
        "0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e");
    return (writer, iteration) -> {
      if (sequences[writer] == 100) {
        streams[writer]++;
        sequences[writer] = 0;
      }
      String aggregate = runId + "-w" + writer + "-" + streams[writer];
      engine.appendEvents(List.of(new GenericDomainEventMessage<>("product", aggregate, sequences[writer], payload)));
      sequences[writer]++;
      return 1;
    };
  }
}
