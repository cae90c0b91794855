package dev.ordo.ordering.order;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandMetadata;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * Unpaid orders expire at their deadline ({@code ordo.ordering.payment-timeout}, set in
 * {@code OrderPlaced}). The deadlines are a read model, so they survive restarts and rebuild from
 * the log; a poller sends {@link OrderCommand.ExpireOrder} for those due. The order decides: one paid
 * a moment before its deadline has left the waiting states and stays paid, one already expired
 * changes nothing, so several instances polling at once do no harm.
 */
public final class PaymentDeadlines implements TableProjection, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PaymentDeadlines.class);

  private static final String TABLES = TableProjection.tablesFrom("db/ordering/projections/payment_deadline.sql");
  private static final String INSERT = """
      INSERT INTO payment_deadline (order_id, due_at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING
      """;
  private static final String DELETE = "DELETE FROM payment_deadline WHERE order_id = ?";
  private static final String DUE = "SELECT order_id FROM payment_deadline WHERE due_at <= ? ORDER BY due_at LIMIT 500";

  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  private final DataSource readDatabase;
  private final CommandBus bus;
  private final Clock clock;
  private final Duration interval;
  private volatile ScheduledExecutorService poller;

  public PaymentDeadlines(DataSource readDatabase, CommandBus bus, Clock clock, Duration interval) {
    this.readDatabase = readDatabase;
    this.bus = bus;
    this.clock = clock;
    this.interval = interval;
  }

  @Override
  public String name() {
    return "payment_deadlines";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String tables() {
    return TABLES;
  }

  @Override
  public Set<String> eventTypes() {
    return Set.of("OrderPlaced", "OrderPaid", "OrderRejected", "OrderCancelled", "OrderExpired");
  }

  @Override
  public void apply(RecordedEvent event, Connection db) throws SQLException {
    if (event.type().equals("OrderPlaced")) {
      JsonNode data = OrderingTypes.JSON.readTree(event.data());
      BATCH.get().add(db, INSERT, event.streamId(),
          Timestamp.from(Instant.parse(data.path("paymentDueAt").asString())));
    } else {
      BATCH.get().add(db, DELETE, event.streamId());
    }
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }

  /** Sends the expiry of every order due now; the read model forgets each once it has expired. */
  void expireDue() {
    if (!bus.handles(OrderCommand.ExpireOrder.class)) {
      return; // orders are another service's, which keeps their deadlines
    }
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    try (Connection c = readDatabase.getConnection(); PreparedStatement s = c.prepareStatement(DUE)) {
      s.setTimestamp(1, Timestamp.from(now));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          due.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      log.warn("payment deadlines not read: {}", e.getMessage());
      return;
    }
    for (String orderId : due) {
      try {
        bus.dispatch(CommandEnvelope.of(new OrderCommand.ExpireOrder(orderId, now), orderId,
            CommandMetadata.newCommand("deadline:payment")));
      } catch (CommandException.RuleBroken | CommandException.NotFound e) {
        log.debug("order {} not expired: {}", orderId, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("order {} not expired: {}", orderId, e.getMessage());
      }
    }
  }

  @Override
  public synchronized void start() {
    poller = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("ordo-payment-deadlines").daemon().factory());
    poller.scheduleWithFixedDelay(() -> {
      try {
        expireDue();
      } catch (RuntimeException e) {
        log.warn("payment deadlines not checked: {}", e.getMessage());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      poller = null;
    }
  }

  @Override
  public boolean isRunning() {
    return poller != null;
  }
}
