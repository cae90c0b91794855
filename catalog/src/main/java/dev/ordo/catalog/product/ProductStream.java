package dev.ordo.catalog.product;

import dev.ordo.spring.query.QueryInput;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.live.LiveFeed;
import dev.ordo.catalog.CatalogTypes;
import java.util.ArrayList;
import java.util.HashMap;
import org.springframework.context.SmartLifecycle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /products/stream}: read-model changes as server-sent events. Each product event of the
 * log, once the read model has applied it, is sent with the product row as it then reads; the
 * event id is the log position, so {@code Last-Event-ID} resumes right after the last one seen.
 * Every client of the process is served from one {@link LiveFeed}: one tail of the log, one read
 * of the rows per batch, whatever the number of clients. {@code ?productId=} follows one product
 * (a product page's live stock and price).
 */
@RestController
public class ProductStream implements SmartLifecycle {

  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private static final String ROWS = """
      SELECT %s FROM product_read WHERE product_id = ANY (?)
      """.formatted(ProductQueries.ITEM_COLUMNS);

  private final EventStore store;
  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final LiveFeed feed;
  private volatile boolean running;

  /**
   * @param window        how many recent events are kept in memory for clients that lag behind or resume
   * @param flushInterval how long a change may wait to go out with the next ones (one write per client)
   */
  public ProductStream(EventStore store, DataSource readDatabase, ReadModels readModels, int window,
      Duration flushInterval) {
    this.store = store;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.feed = new LiveFeed(store, "products", CatalogTypes.PRODUCT.codec().types().names(), this::render,
        LiveFeed.Keys.STREAM, window, flushInterval, TIMEOUT);
  }

  @GetMapping(path = "/api/v1/products/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(required = false) String after, @RequestParam(required = false) String productId) {
    LogPosition from = start(lastEventId != null ? "Last-Event-ID" : "after", lastEventId != null ? lastEventId : after);
    String product = QueryInput.id("productId", productId);
    if (product != null && !store.readStream(product, Long.MAX_VALUE).exists()) {
      throw new NotFoundException("no product " + product);
    }
    return feed.open(from, product);
  }

  /** Clients connected to this process now. */
  public int clients() {
    return feed.clients();
  }

  private LogPosition start(String field, String value) {
    Long position = QueryInput.optionalLong(field, value, 0);
    if (position == null) { // only changes from now on
      long head = store.head();
      return head == 0 ? LogPosition.START : store.locate(head).orElse(LogPosition.START);
    }
    if (position == 0) {
      return LogPosition.START;
    }
    return store.locate(position)
        .orElseThrow(() -> new InvalidInputException(field, "is not a position in the log"));
  }

  /** Each event with its product's row as the read model has it once it applied the events. */
  private List<LiveFeed.Frame> render(List<RecordedEvent> events) throws Exception {
    // the rows as product_read has them once it applied the events (if it is late, as they stand)
    readModels.awaitApplied("product_read", events.getLast().logPosition(), QueryInput.MAX_WAIT);
    Map<String, Map<String, Object>> rows = new HashMap<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ROWS)) {
      select.setArray(1, connection.createArrayOf("text", events.stream().map(RecordedEvent::streamId).distinct()
          .toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> item = ProductQueries.item(rs);
          rows.put((String) item.get("id"), item);
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e); // the feed renders the batch again after a pause
    }
    List<LiveFeed.Frame> frames = new ArrayList<>(events.size());
    for (RecordedEvent event : events) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("position", event.position());
      data.put("type", event.type());
      data.put("productId", event.streamId());
      data.put("version", event.version());
      data.put("product", rows.get(event.streamId()));
      frames.add(LiveFeed.Frame.of(event.logPosition(), event.streamId(), "product",
          CatalogTypes.JSON.writeValueAsString(data)));
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
