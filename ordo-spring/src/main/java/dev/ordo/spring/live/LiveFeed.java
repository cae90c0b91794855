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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * target fans out. Each batch is rendered once into frames, the bytes of each event as every
 * client gets them, kept in a shared window of the most recent ones. A client holds only where it
 * stands; a virtual thread, existing while there is something to send, sends it everything that
 * followed in one write. Clients are woken at most once per {@code flushInterval}, so a busy log
 * costs each client one write per interval, not one per event. A client resuming from before the
 * window (or one so slow that the window passed it) reads the log from where it stands until it
 * reaches the window, one client at a time, so catching up never takes the database from the
 * commands. Live clients cost memory, not database connections or platform threads.
 */
public final class LiveFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
  private static final int CATCH_UP_PAGE = 200;
  private static final long BEHIND = -1;
  private static final long AHEAD = -2;
  private static final int MAX_FRAMES_PER_WRITE = 1_000;
  private static final MediaType BYTES = MediaType.APPLICATION_OCTET_STREAM;
  private static final byte[] OPENED = ": stream open\n\n".getBytes(StandardCharsets.UTF_8);

  /**
   * One server-sent event, rendered once, as every client is sent it.
   *
   * @param key what a client may ask to follow alone (the stream the event belongs to)
   */
  public record Frame(LogPosition position, String key, byte[] bytes) {

    public Frame {
      Objects.requireNonNull(position, "position");
      Objects.requireNonNull(key, "key");
    }

    /** {@code data} on one line: JSON as Jackson writes it has no raw line break. */
    public static Frame of(LogPosition position, String key, String event, String data) {
      return new Frame(position, key, ("id:" + position.position() + "\nevent:" + event + "\ndata:" + data + "\n\n")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Turns events of the feed's types into frames, in the events' order. */
  @FunctionalInterface
  public interface Renderer {
    List<Frame> render(List<RecordedEvent> events) throws Exception;
  }

  /**
   * Which events may render into frames of a key: what a client following one key and catching up
   * from the log has rendered (its frames are then kept by key).
   */
  @FunctionalInterface
  public interface Keys {

    boolean mayRender(RecordedEvent event, String key);

    /** Frames keyed by their event's stream: only the key's own stream is read and rendered. */
    Keys STREAM = (event, key) -> key.equals(event.streamId());

    /** Keys known only from the read model (an order's user): every event is rendered, then filtered. */
    Keys RENDERED = (event, key) -> true;
  }

  private final EventStore store;
  private final Set<String> eventTypes;
  private final Renderer renderer;
  private final Keys keys;
  private final Duration timeout;
  private final Duration flushInterval;
  private final AtomicReferenceArray<Frame> window;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  /** Clients following one key, by key: a frame wakes only the clients that follow it (and those following all). */
  private final Map<String, Set<Client>> byKey = new ConcurrentHashMap<>();
  /** Keys of the frames published since the last wake; guarded by this feed's lock. */
  private Set<String> touched = new HashSet<>();
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("ordo-live-pacer").daemon().factory());
  /** Guarded by this feed's lock. */
  private boolean wakeScheduled;
  private final Semaphore catchingUp = new Semaphore(1);
  private final ConsumerRunner<Pending, LogPosition> runner;
  private volatile boolean closed;
  /** Every frame after this position is in the window; changed with {@link #firstSeq} under the lock. */
  private LogPosition windowBase;
  private volatile long firstSeq;
  private volatile long nextSeq;
  private volatile LogPosition published;

  /**
   * @param windowSize    how many recent frames are kept for clients that lag behind or resume
   * @param keys          which events a client following one key reads from the log when it catches up
   * @param flushInterval how long new frames may wait to be sent, so that they go out together
   */
  public LiveFeed(EventStore store, String name, Set<String> eventTypes, Renderer renderer, Keys keys,
      int windowSize, Duration flushInterval, Duration timeout) {
    this.store = store;
    this.eventTypes = Set.copyOf(eventTypes);
    this.renderer = renderer;
    this.keys = keys;
    this.timeout = timeout;
    this.flushInterval = flushInterval;
    this.window = new AtomicReferenceArray<>(windowSize);
    this.published = head();
    this.windowBase = published;
    this.runner = new ConsumerRunner<>(Source.log(store), new Fanout("live-" + name),
        new Collect("live-" + name), 500, 5);
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

  /** Where the feed stands. */
  public LogPosition position() {
    return published;
  }

  public int clients() {
    return clients.size();
  }

  /**
   * A stream sending every frame after {@code after}, then each new one as it comes; only the
   * frames of {@code key} when it is not null.
   */
  public SseEmitter open(LogPosition after, String key) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    if (closed) {
      emitter.complete(); // the process is stopping: the client resumes elsewhere by Last-Event-ID
      return emitter;
    }
    Client client = new Client(emitter, after, key);
    emitter.onCompletion(() -> remove(client));
    emitter.onTimeout(() -> remove(client));
    emitter.onError(e -> remove(client));
    try {
      emitter.send(Set.of(new DataWithMediaType(OPENED, BYTES))); // the client sees the stream open at once
    } catch (IOException e) {
      emitter.completeWithError(e);
      return emitter;
    }
    clients.add(client);
    if (key != null) {
      byKey.compute(key, (k, followers) -> { // in the map's lock: a follower removed meanwhile cannot orphan it
        Set<Client> set = followers == null ? ConcurrentHashMap.newKeySet() : followers;
        set.add(client);
        return set;
      });
    }
    wake(client);
    return emitter;
  }

  private void remove(Client client) {
    clients.remove(client);
    if (client.key != null) {
      byKey.computeIfPresent(client.key, (k, followers) -> followers.remove(client) && followers.isEmpty() ? null
          : followers);
    }
  }

  /**
   * Called on the runner's thread only: one writer, many lock-free readers. The frames and the keys
   * they touch are published under one lock, so a wake sees either both or neither.
   */
  private synchronized void publish(List<Frame> frames, LogPosition to) {
    int size = window.length();
    for (Frame frame : frames) {
      long next = nextSeq;
      if (next - firstSeq == size) {
        windowBase = window.get((int) (firstSeq % size)).position();
        firstSeq = firstSeq + 1; // before the slot is reused: a reader that saw the new frame sees this
      }
      window.set((int) (next % size), frame);
      nextSeq = next + 1;
      touched.add(frame.key());
    }
    published = to;
    if (!frames.isEmpty() && !wakeScheduled) {
      wakeScheduled = true;
      pacer.schedule(this::wakeAll, flushInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Wakes the clients that follow everything, and those following a key that has new frames. A
   * client following a key that has none is moved past the frames published so far without a
   * write: they are not its, and it would otherwise fall behind the window and read the log.
   */
  private void wakeAll() {
    Set<String> keys;
    long end;
    LogPosition endPosition;
    synchronized (this) {
      wakeScheduled = false;
      keys = touched;
      touched = new HashSet<>();
      end = nextSeq;
      endPosition = end > firstSeq ? window.get((int) ((end - 1) % window.length())).position() : null;
    }
    for (Client client : clients) {
      if (client.key == null || keys.contains(client.key)) {
        wake(client);
      } else if (endPosition != null && client.seq >= 0 && client.seq < end
          && client.draining.compareAndSet(false, true)) {
        // every frame of its key before end woke it and was sent by a drain that has ended
        client.seq = end;
        client.after = endPosition;
        client.draining.set(false); // frames published since: the next wake looks at their keys
      }
    }
  }

  /**
   * The sequence number of the first frame after {@code after}; {@link #BEHIND} when the window no
   * longer holds all of them, {@link #AHEAD} when the feed has not reached {@code after} yet.
   */
  private synchronized long locate(LogPosition after) {
    if (after.compareTo(windowBase) < 0) {
      return BEHIND;
    }
    if (after.isAfter(published)) {
      return AHEAD;
    }
    long lo = firstSeq;
    long hi = nextSeq;
    int size = window.length();
    while (lo < hi) { // frames are in log order
      long mid = (lo + hi) >>> 1;
      if (window.get((int) (mid % size)).position().isAfter(after)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
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
        if (client.seq < 0) {
          long seq = locate(client.after);
          if (seq == BEHIND) {
            fromLog(client);
            continue;
          }
          if (seq == AHEAD) { // a Last-Event-ID the feed has not reached: woken again when it moves
            client.draining.set(false);
            if (!published.isAfter(client.after) || !client.draining.compareAndSet(false, true)) {
              return;
            }
            continue;
          }
          client.seq = seq;
        }
        long end = Math.min(nextSeq, client.seq + MAX_FRAMES_PER_WRITE);
        if (client.seq >= end) {
          client.draining.set(false);
          if (nextSeq <= client.seq || !client.draining.compareAndSet(false, true)) {
            return; // nothing arrived since the check, or another drain took over
          }
          continue;
        }
        List<Frame> frames = new ArrayList<>();
        Frame last = null;
        int length = 0;
        int size = window.length();
        for (long seq = client.seq; seq < end; seq++) {
          last = window.get((int) (seq % size));
          if (client.follows(last)) {
            frames.add(last);
            length += last.bytes().length;
          }
        }
        if (client.seq < firstSeq) {
          client.seq = BEHIND; // the window moved past the client while it read: go by its position
          continue;
        }
        if (!frames.isEmpty()) {
          client.emitter.send(Set.of(new DataWithMediaType(concatenate(frames, length), BYTES)));
        }
        client.seq = end;
        client.after = last.position();
      }
    } catch (IOException | IllegalStateException e) {
      drop(client, e); // the client went away
    } catch (Exception e) {
      log.warn("live feed: a client could not be sent its events: {}", e.getMessage());
      drop(client, e);
    }
  }

  private static byte[] concatenate(List<Frame> frames, int length) {
    byte[] bytes = new byte[length];
    int at = 0;
    for (Frame frame : frames) {
      System.arraycopy(frame.bytes(), 0, bytes, at, frame.bytes().length);
      at += frame.bytes().length;
    }
    return bytes;
  }

  /** Sends a client the window no longer covers a page of the log after where it stands. */
  private void fromLog(Client client) throws Exception {
    LogPage page;
    List<Frame> frames;
    // the read and the rendering (a query of the read database) take turns; sending does not, so a
    // slow socket holds up only its own client
    catchingUp.acquire();
    try {
      page = store.readLog(client.after, CATCH_UP_PAGE);
      List<RecordedEvent> events = page.events().stream()
          .filter(e -> eventTypes.contains(e.type()) && (client.key == null || keys.mayRender(e, client.key)))
          .toList();
      frames = events.isEmpty() ? List.of() : renderer.render(events).stream().filter(client::follows).toList();
    } finally {
      catchingUp.release();
    }
    if (page.events().isEmpty()) {
      Thread.sleep(5); // held back by a transaction still open
      return;
    }
    if (!frames.isEmpty()) {
      client.emitter.send(Set.of(new DataWithMediaType(
          concatenate(frames, frames.stream().mapToInt(f -> f.bytes().length).sum()), BYTES)));
    }
    client.after = page.next(client.after);
  }

  private void drop(Client client, Exception cause) {
    remove(client);
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
    closed = true;
    runner.close();
    pacer.shutdownNow();
    for (Client client : clients) {
      remove(client);
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
    final String key;
    final AtomicBoolean draining = new AtomicBoolean();
    volatile LogPosition after;
    /** The next frame to send; {@link #BEHIND} while only {@link #after} is known. */
    volatile long seq = BEHIND;

    Client(SseEmitter emitter, LogPosition after, String key) {
      this.emitter = emitter;
      this.after = after;
      this.key = key;
    }

    boolean follows(Frame frame) {
      return key == null || key.equals(frame.key());
    }
  }

  /** A batch's events and the frames rendered from them so far. */
  static final class Pending {
    private final List<RecordedEvent> events = new ArrayList<>();
    private final List<Frame> frames = new ArrayList<>();
    private int rendered;
  }

  /**
   * Collects the feed's events of a batch and renders them when the runner flushes (so an event
   * that cannot be rendered is found, retried and parked like any other); they are published when
   * the batch commits.
   */
  private final class Collect implements Projection<Pending> {
    private final String name;

    Collect(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public Set<String> eventTypes() {
      return eventTypes;
    }

    @Override
    public void apply(RecordedEvent event, Pending batch) {
      batch.events.add(event);
    }

    @Override
    public void flush(Pending batch) throws Exception {
      if (batch.rendered < batch.events.size()) {
        batch.frames.addAll(renderer.render(batch.events.subList(batch.rendered, batch.events.size())));
        batch.rendered = batch.events.size();
      }
    }

    /** An event that cannot be rendered is not worth stopping every client for. */
    @Override
    public OnFailure onFailure() {
      return OnFailure.SKIP;
    }
  }

  /**
   * The connected clients as a target: the checkpoint is where the feed stands in memory (a new
   * process starts at the head; its clients resume by Last-Event-ID), a batch's commit publishes the
   * frames its flush rendered.
   */
  private final class Fanout implements Target<Pending, LogPosition> {
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
    public Transaction<Pending, LogPosition> begin() {
      LogPosition checkpoint = published;
      Pending pending = new Pending();
      return new Transaction<>() {
        private LogPosition to = checkpoint;

        @Override
        public LogPosition checkpoint() {
          return checkpoint;
        }

        @Override
        public Pending work() {
          return pending;
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
          publish(pending.frames, to);
        }

        @Override
        public void close() {}
      };
    }
  }
}
