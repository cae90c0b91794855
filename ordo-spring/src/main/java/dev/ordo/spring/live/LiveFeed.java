package dev.ordo.spring.live;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Source;
import dev.ordo.consumer.Projection;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.DatabaseErrors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for every client of this process from one tail of the log: a consumer whose
 * target fans out. Each batch is rendered once into frames kept in a shared window of the most
 * recent ones; each client only holds where it stands, and is sent what follows it by a virtual
 * thread that exists while there is something to send. A client resuming from before the window
 * (or one so slow the window passed it) reads the log from where it stands until it reaches the
 * window: a few clients at a time, so catching up never takes the database from the commands.
 * Live clients cost memory, not database connections or platform threads.
 */
public final class LiveFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
  private static final int CATCH_UP_PAGE = 200;

  /** One server-sent event, rendered once for every client. */
  public record Frame(LogPosition position, String event, String data) {}

  /** Turns events of the feed's types into frames, in the events' order. */
  @FunctionalInterface
  public interface Renderer {
    List<Frame> render(List<RecordedEvent> events) throws Exception;
  }

  private final EventStore store;
  private final Set<String> eventTypes;
  private final Renderer renderer;
  private final Duration timeout;
  private final Frame[] window;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore catchingUp = new Semaphore(2);
  private final ConsumerRunner<List<RecordedEvent>, LogPosition> runner;
  /** Every frame after this position is in the window. */
  private LogPosition windowBase;
  private long firstSeq;
  private long nextSeq;
  private volatile LogPosition published;

  /**
   * @param windowSize how many recent frames are kept for clients that lag behind or resume
   */
  public LiveFeed(EventStore store, String name, Set<String> eventTypes, Renderer renderer, int windowSize,
      Duration timeout) {
    this.store = store;
    this.eventTypes = Set.copyOf(eventTypes);
    this.renderer = renderer;
    this.timeout = timeout;
    this.window = new Frame[windowSize];
    this.published = head();
    this.windowBase = published;
    this.runner = new ConsumerRunner<>(Source.log(store), new Fanout("live-" + name),
        new Collect("live-" + name, this.eventTypes), 500, 5);
  }

  /** Starts following the log from where it stands now. */
  public LiveFeed start() {
    runner.start();
    return this;
  }

  private LogPosition head() {
    long head = store.head();
    return head == 0 ? LogPosition.START : store.locate(head).orElse(LogPosition.START);
  }

  /** Where the feed stands: clients that ask for nothing older start here. */
  public LogPosition position() {
    return published;
  }

  public int clients() {
    return clients.size();
  }

  /** A stream sending every frame after {@code after}, then each new one as it comes. */
  public SseEmitter open(LogPosition after) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    Client client = new Client(emitter, after);
    emitter.onCompletion(() -> clients.remove(client));
    emitter.onTimeout(() -> clients.remove(client));
    emitter.onError(e -> clients.remove(client));
    clients.add(client);
    wake(client);
    return emitter;
  }

  private synchronized void publish(List<Frame> frames, LogPosition to) {
    for (Frame frame : frames) {
      if (nextSeq - firstSeq == window.length) {
        windowBase = window[(int) (firstSeq % window.length)].position();
        window[(int) (firstSeq++ % window.length)] = null;
      }
      window[(int) (nextSeq++ % window.length)] = frame;
    }
    published = to;
  }

  /**
   * The frames after the client's position, from the window; null when the window no longer holds
   * everything after it (the client reads the log instead).
   */
  private synchronized List<Frame> next(Client client, int max) {
    if (client.after.compareTo(windowBase) < 0) {
      return null;
    }
    long lo = firstSeq;
    long hi = nextSeq;
    while (lo < hi) { // the first frame after the client's position; frames are in log order
      long mid = (lo + hi) >>> 1;
      if (window[(int) (mid % window.length)].position().isAfter(client.after)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    List<Frame> frames = new ArrayList<>();
    for (long seq = lo; seq < nextSeq && frames.size() < max; seq++) {
      frames.add(window[(int) (seq % window.length)]);
    }
    return frames;
  }

  private void wake(Client client) {
    if (client.draining.compareAndSet(false, true)) {
      try {
        senders.execute(() -> drain(client));
      } catch (RuntimeException e) { // closing
        client.draining.set(false);
      }
    }
  }

  /** Sends the client what follows it until nothing does; runs on a virtual thread of its own. */
  private void drain(Client client) {
    try {
      while (clients.contains(client)) {
        List<Frame> frames = next(client, 500);
        if (frames == null) {
          frames = fromLog(client);
          if (frames == null) {
            continue; // moved on through the log with nothing to send: look again
          }
        }
        if (frames.isEmpty()) {
          client.draining.set(false);
          List<Frame> more = next(client, 1);
          if ((more != null && more.isEmpty()) || !client.draining.compareAndSet(false, true)) {
            return; // nothing arrived since the check, or another drain took over
          }
          continue;
        }
        for (Frame frame : frames) {
          client.emitter.send(SseEmitter.event().id(Long.toString(frame.position().position())).name(frame.event())
              .data(frame.data(), MediaType.APPLICATION_JSON));
          client.after = frame.position();
        }
      }
    } catch (IOException | IllegalStateException e) {
      drop(client, e); // the client went away
    } catch (Exception e) {
      log.warn("live feed: a client could not be sent its events: {}", e.getMessage());
      drop(client, e);
    }
  }

  /**
   * The frames of a page of the log after the client's position, for a client the window no longer
   * covers; null when the page had none of the feed's events (the client's position moved past it).
   */
  private List<Frame> fromLog(Client client) throws Exception {
    catchingUp.acquire();
    try {
      LogPage page = store.readLog(client.after, CATCH_UP_PAGE);
      if (page.events().isEmpty()) {
        Thread.sleep(5); // held back by a transaction still open
        return null;
      }
      List<RecordedEvent> events = page.events().stream().filter(e -> eventTypes.contains(e.type())).toList();
      if (events.isEmpty()) {
        client.after = page.next(client.after);
        return null;
      }
      return renderer.render(events);
    } finally {
      catchingUp.release();
    }
  }

  private void drop(Client client, Exception cause) {
    clients.remove(client);
    client.draining.set(false);
    try {
      client.emitter.completeWithError(cause);
    } catch (RuntimeException ignored) {
      // already completed
    }
  }

  /** Ends every client's stream (they resume elsewhere or later by Last-Event-ID) and stops following the log. */
  @Override
  public void close() {
    runner.close();
    for (Client client : clients) {
      clients.remove(client);
      try {
        client.emitter.complete();
      } catch (RuntimeException ignored) {
        // already completed
      }
    }
    senders.shutdownNow();
  }

  private static final class Client {
    final SseEmitter emitter;
    final AtomicBoolean draining = new AtomicBoolean();
    volatile LogPosition after;

    Client(SseEmitter emitter, LogPosition after) {
      this.emitter = emitter;
      this.after = after;
    }
  }

  /** Collects the feed's events of a batch; they are rendered and published when it commits. */
  private record Collect(String name, Set<String> eventTypes) implements Projection<List<RecordedEvent>> {
    @Override
    public int version() {
      return 1;
    }

    @Override
    public void apply(RecordedEvent event, List<RecordedEvent> batch) {
      batch.add(event);
    }

    /** An event that cannot be rendered is not worth stopping every client for. */
    @Override
    public OnFailure onFailure() {
      return OnFailure.SKIP;
    }
  }

  /**
   * The connected clients as a target: the checkpoint is where the feed stands in memory (a new
   * process starts at the head; its clients resume by Last-Event-ID), a batch's commit renders its
   * events and publishes the frames.
   */
  private final class Fanout implements Target<List<RecordedEvent>, LogPosition> {
    private final String name;

    Fanout(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<LogPosition> checkpoint() {
      return Optional.of(published);
    }

    @Override
    public Optional<Lease> lead() {
      return Optional.of(new Lease() {
        @Override
        public boolean held() {
          return true;
        }

        @Override
        public void close() {}
      });
    }

    @Override
    public boolean isTransient(Throwable failure) {
      return DatabaseErrors.isTransient(failure);
    }

    @Override
    public boolean blocked() {
      return false;
    }

    @Override
    public Transaction<List<RecordedEvent>, LogPosition> begin() {
      LogPosition checkpoint = published;
      List<RecordedEvent> events = new ArrayList<>();
      return new Transaction<>() {
        private LogPosition to = checkpoint;

        @Override
        public LogPosition checkpoint() {
          return checkpoint;
        }

        @Override
        public List<RecordedEvent> work() {
          return events;
        }

        @Override
        public void move(LogPosition to, long applied) {
          this.to = to;
        }

        @Override
        public void park(RecordedEvent event, LogPosition position, String error, int attempts, boolean blocking) {
          log.error("live feed {}: event {} ({}) not sent to clients: {}", name, event.position(), event.type(), error);
        }

        @Override
        public void commit() throws Exception {
          List<Frame> frames = events.isEmpty() ? List.of() : renderer.render(events);
          publish(frames, to);
          if (!frames.isEmpty()) {
            clients.forEach(LiveFeed.this::wake);
          }
        }

        @Override
        public void close() {}
      };
    }
  }
}
