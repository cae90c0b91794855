package dev.ordo.catalog.query;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.ReadModels;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 */
@RestController
public class ProductStream {

  private static final long TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();

  private static final String ROW = """
      SELECT %s FROM product_read WHERE product_id = ?
      """.formatted(ProductQueries.ITEM_COLUMNS);

  private final EventStore store;
  private final DataSource readDatabase;
  private final ReadModels readModels;

  public ProductStream(EventStore store, DataSource readDatabase, ReadModels readModels) {
    this.store = store;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  @GetMapping(path = "/api/v1/products/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(required = false) String after) {
    LogPosition from = start(lastEventId != null ? "Last-Event-ID" : "after", lastEventId != null ? lastEventId : after);
    SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
    AtomicBoolean open = new AtomicBoolean(true);
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    Runnable close = () -> {
      if (open.compareAndSet(true, false)) {
        Thread.ofVirtual().start(() -> {
          Subscription s = subscription.get();
          if (s != null) {
            s.close();
          }
        });
      }
    };
    emitter.onCompletion(close);
    emitter.onTimeout(close);
    emitter.onError(e -> close.run());
    subscription.set(store.subscribe("sse-products", from, 200, batch -> send(emitter, open, close, batch)));
    return emitter;
  }

  private LogPosition start(String field, String value) {
    Long position = QueryInput.optionalLong(field, value, 0);
    if (position == null) {
      return fromNow();
    }
    if (position == 0) {
      return LogPosition.START;
    }
    return store.locate(position)
        .orElseThrow(() -> new InvalidInputException(field, "is not a position in the log"));
  }

  /** Without a position to resume from, the stream starts at the head: only changes from now on. */
  private LogPosition fromNow() {
    long head = store.head();
    return head == 0 ? LogPosition.START : store.locate(head).orElse(LogPosition.START);
  }

  private void send(SseEmitter emitter, AtomicBoolean open, Runnable close, List<RecordedEvent> batch) throws Exception {
    if (!open.get()) {
      return;
    }
    List<RecordedEvent> products = batch.stream().filter(e -> e.streamType().equals("product")).toList();
    if (products.isEmpty()) {
      return;
    }
    readModels.awaitApplied(products.getLast().position(), ProductQueries.MAX_WAIT);
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ROW)) {
      for (RecordedEvent event : products) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("position", event.position());
        data.put("type", event.type());
        data.put("productId", event.streamId());
        data.put("version", event.version());
        select.setString(1, event.streamId());
        try (ResultSet rs = select.executeQuery()) {
          data.put("product", rs.next() ? ProductQueries.item(rs) : null);
        }
        emitter.send(SseEmitter.event().id(Long.toString(event.position())).name("product").data(data,
            MediaType.APPLICATION_JSON));
      }
    } catch (IOException | IllegalStateException e) {
      close.run(); // the client went away
      emitter.completeWithError(e);
    } catch (SQLException e) {
      throw ProductQueries.failure(e); // the tail delivers the batch again after a pause
    }
  }
}
