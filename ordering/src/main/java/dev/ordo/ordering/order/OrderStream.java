package dev.ordo.ordering.order;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.spring.live.LiveFeed;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /orders/stream} (seed 004's order stream): read-model changes as server-sent events.
 * Each order, dispatch and delivery event, once {@code order_read} has applied it, is sent with its
 * order as it then reads; the event id is the log position, so {@code Last-Event-ID} resumes right
 * after the last one seen. One {@link LiveFeed} serves every client of the process; its frames are
 * keyed by the order's user, so {@code ?userId=} follows one customer's orders.
 */
@RestController
public class OrderStream implements SmartLifecycle {

  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** The orders of a batch's events: their own, or their dispatch's or delivery's (found by key, once). */
  private static final String ROWS = "SELECT " + OrderView.COLUMNS + " FROM " + OrderView.FROM + """
       WHERE o.order_id = ANY (?::text[]
                               || ARRAY(SELECT order_id FROM dispatch_read WHERE dispatch_id = ANY (?::text[]))
                               || ARRAY(SELECT order_id FROM delivery_read WHERE delivery_id = ANY (?::text[])))
      """;

  private final EventStore store;
  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final LiveFeed feed;
  private volatile boolean running;

  /**
   * @param window        how many recent events are kept in memory for clients that lag behind or resume
   * @param flushInterval how long a change may wait to go out with the next ones (one write per client)
   */
  public OrderStream(EventStore store, DataSource readDatabase, ReadModels readModels, int window,
      Duration flushInterval) {
    this.store = store;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.feed = new LiveFeed(store, "orders", OrderReadProjection.types(), this::render, LiveFeed.Keys.RENDERED,
        window, flushInterval, TIMEOUT);
  }

  @GetMapping(path = "/api/v1/orders/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(required = false) String after, @RequestParam(required = false) String userId) {
    LogPosition from = start(lastEventId != null ? "Last-Event-ID" : "after", lastEventId != null ? lastEventId : after);
    return feed.open(from, OrderReaders.ownOnly(QueryInput.id("userId", userId)));
  }

  /** Clients connected to this process now. */
  public int clients() {
    return feed.clients();
  }

  private LogPosition start(String field, String value) {
    Long position = QueryInput.optionalLong(field, value, 0);
    if (position == null) { // only changes from now on
      return feed.position();
    }
    if (position == 0) {
      return LogPosition.START;
    }
    return store.locate(position)
        .orElseThrow(() -> new InvalidInputException(field, "is not a position in the log"));
  }

  /** Each event with its order as the read model has it once it applied the events, keyed by the order's user. */
  private List<LiveFeed.Frame> render(List<RecordedEvent> events) throws Exception {
    // the rows as order_read has them once it applied the events (if it is late, as they stand)
    readModels.awaitApplied(OrderReadProjection.NAME, events.getLast().logPosition(), QueryInput.MAX_WAIT);
    Set<String> orders = new LinkedHashSet<>();
    Set<String> dispatches = new LinkedHashSet<>();
    Set<String> deliveries = new LinkedHashSet<>();
    for (RecordedEvent event : events) {
      switch (event.streamType()) {
        case "order" -> orders.add(event.streamId());
        case "dispatch" -> dispatches.add(event.streamId());
        default -> deliveries.add(event.streamId());
      }
    }
    Map<String, Map<String, Object>> byStream = new HashMap<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ROWS)) {
      select.setArray(1, connection.createArrayOf("text", orders.toArray()));
      select.setArray(2, connection.createArrayOf("text", dispatches.toArray()));
      select.setArray(3, connection.createArrayOf("text", deliveries.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> order = OrderView.of(rs);
          byStream.put((String) order.get("id"), order);
          if (rs.getString("dispatch_id") != null) {
            byStream.put(rs.getString("dispatch_id"), order);
          }
          if (rs.getString("delivery_id") != null) {
            byStream.put(rs.getString("delivery_id"), order);
          }
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e); // the feed renders the batch again after a pause
    }
    List<LiveFeed.Frame> frames = new ArrayList<>(events.size());
    for (RecordedEvent event : events) {
      Map<String, Object> order = byStream.get(event.streamId());
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("position", event.position());
      data.put("type", event.type());
      data.put("streamType", event.streamType());
      data.put("streamId", event.streamId());
      data.put("version", event.version());
      data.put("orderId", order == null ? null : order.get("id"));
      if (event.type().equals("LocationUpdated")) {
        // the most frequent event: the rider's position, not the whole order again
        var location = OrderingTypes.JSON.readTree(event.data());
        data.put("location", Map.of("lat", location.path("lat").asDouble(), "lon", location.path("lon").asDouble(),
            "at", event.occurredAt().toString()));
      } else {
        data.put("order", order);
      }
      String user = order == null ? "" : (String) order.get("userId");
      frames.add(LiveFeed.Frame.of(event.logPosition(), user, "order", OrderingTypes.JSON.writeValueAsString(data)));
    }
    return frames;
  }

  @Override
  public void start() {
    feed.start();
    running = true;
  }

  /** Before the web server's graceful shutdown, which would otherwise wait for every open stream. */
  @Override
  public void stop() {
    running = false;
    feed.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
