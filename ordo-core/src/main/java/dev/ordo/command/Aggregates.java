package dev.ordo.command;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStream;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.UniqueKey;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.snapshot.Snapshot;
import dev.ordo.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads aggregates of one type (latest snapshot, then the later events) and runs their commands:
 * decide, append with the version decided on as the expected version, retry on a conflict.
 *
 * <p>Recent states are cached. A cached state is never trusted blindly: its version is the
 * append's expected version, so if another writer moved the aggregate on, the append conflicts,
 * the cache entry is dropped, and the command is decided again on the state read from the log.
 */
public final class Aggregates<C, S, E> {

  private static final Logger log = LoggerFactory.getLogger(Aggregates.class);

  /**
   * @param snapshotEvery a snapshot is written each time a stream passes a multiple of this many events
   * @param cacheSize     states kept in memory
   * @param maxAttempts   decisions of one command before a conflict is given up as 409
   */
  public record Settings(int snapshotEvery, int cacheSize, int maxAttempts) {
    public static final Settings DEFAULTS = new Settings(100, 20_000, 8);
  }

  /** A state with the version and position of the last event folded into it. */
  public record Loaded<S>(S state, long version, long position) {

    public boolean exists() {
      return version > 0;
    }
  }

  private final AggregateType<C, S, E> type;
  private final EventStore store;
  private final SnapshotStore snapshots;
  private final JsonMapper json;
  private final Settings settings;
  private final Map<String, Loaded<S>> cache = new ConcurrentHashMap<>();
  private final ExecutorService snapshotWriter;
  /** Striped: one aggregate always maps to the same lock, two rarely share one. */
  private final ReentrantLock[] turns = new ReentrantLock[1024];

  public Aggregates(AggregateType<C, S, E> type, EventStore store, SnapshotStore snapshots, JsonMapper json,
      Settings settings) {
    this.type = type;
    this.store = store;
    this.snapshots = snapshots;
    this.json = json;
    this.settings = settings;
    for (int i = 0; i < turns.length; i++) {
      turns[i] = new ReentrantLock(true);
    }
    this.snapshotWriter = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("ordo-snapshots-" + type.streamType()).daemon().factory());
  }

  public AggregateType<C, S, E> type() {
    return type;
  }

  /** The current state: from the cache, or from the latest snapshot and the events after it. */
  public Loaded<S> load(String id) {
    Loaded<S> cached = cache.get(id);
    return cached != null ? cached : loadFromLog(id);
  }

  /** The state as it was after a version of the stream, folded from the log alone. */
  public Loaded<S> loadAtVersion(String id, long version) {
    return fold(id, type.decider().initialState(), 0, 0, store.readStream(id, 1).events(), e -> e.version() <= version);
  }

  /** The state as it was at a time, folded from the log alone. */
  public Loaded<S> loadAt(String id, Instant at) {
    return fold(id, type.decider().initialState(), 0, 0, store.readStream(id, 1).events(),
        e -> !e.occurredAt().isAfter(at));
  }

  private Loaded<S> loadFromLog(String id) {
    Optional<Snapshot> snapshot = snapshots.load(id, type.stateSchemaVersion());
    S state = type.decider().initialState();
    long version = 0;
    if (snapshot.isPresent()) {
      try {
        state = json.readValue(snapshot.get().state(), type.stateClass());
        version = snapshot.get().version();
      } catch (RuntimeException e) {
        log.warn("ignoring the unreadable snapshot of {} {}", type.streamType(), id, e);
      }
    }
    EventStream stream = store.readStream(id, version + 1);
    if (!stream.events().isEmpty() && !stream.events().getFirst().streamType().equals(type.streamType())) {
      // the id belongs to another kind of aggregate: for this one, it does not exist
      return new Loaded<>(type.decider().initialState(), 0, 0);
    }
    Loaded<S> loaded = fold(id, state, version, 0, stream.events(), e -> true);
    if (loaded.version() != stream.version() && stream.version() > version) {
      throw new IllegalStateException("stream " + id + " ended at " + loaded.version() + ", not " + stream.version());
    }
    return loaded;
  }

  private Loaded<S> fold(String id, S state, long version, long position, List<RecordedEvent> events,
      java.util.function.Predicate<RecordedEvent> include) {
    for (RecordedEvent event : events) {
      if (!include.test(event)) {
        break;
      }
      state = type.decider().evolve(state, type.codec().decode(event));
      version = event.version();
      position = event.position();
    }
    return new Loaded<>(state, version, position);
  }

  /**
   * Runs a command. Commands on one aggregate take turns in this process, so they do not spend
   * their retries on each other; conflicts with other processes are retried.
   */
  public CommandResult handle(CommandEnvelope<? extends C> envelope) {
    ReentrantLock turn = turns[Math.floorMod(envelope.aggregateId().hashCode(), turns.length)];
    turn.lock();
    try {
      return decideAndAppend(envelope);
    } finally {
      turn.unlock();
    }
  }

  private CommandResult decideAndAppend(CommandEnvelope<? extends C> envelope) {
    String id = envelope.aggregateId();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      // A command that expects no stream (one creating the aggregate under a new id) needs no read:
      // if the stream exists after all, the append conflicts and the next attempt reads it.
      Loaded<S> loaded = attempt > 1 ? loadFromLog(id)
          : envelope.expected() instanceof ExpectedVersion.NoStream ? new Loaded<>(type.decider().initialState(), 0, 0)
          : load(id);
      if (envelope.expected() instanceof ExpectedVersion.Exactly exactly && exactly.version() != loaded.version()) {
        throw new CommandException.PreconditionFailed(id, exactly.version(), loaded.version());
      }
      if (!type.allows(envelope.metadata().caller(), envelope.command(), loaded.state())) {
        throw new CommandException.Forbidden(envelope.metadata().actor(), describe(envelope.command()),
            type.streamType() + " " + id);
      }
      List<E> events = type.decider().decide(envelope.command(), loaded.state());
      if (events.isEmpty()) {
        return new CommandResult(id, loaded.version(), loaded.position(), false);
      }
      S after = type.decider().fold(loaded.state(), events);
      Set<UniqueKey> before = type.uniqueKeys().apply(loaded.state());
      Set<UniqueKey> now = type.uniqueKeys().apply(after);
      List<NewEvent> encoded = events.stream()
          .map(e -> type.codec().encode(e, envelope.metadata().eventMetadata()))
          .toList();
      AppendResult appended;
      try {
        appended = store.append(new AppendRequest(id, type.streamType(), ExpectedVersion.exactly(loaded.version()),
            encoded, difference(now, before), difference(before, now), envelope.completion()));
      } catch (EventStoreException.WrongExpectedVersion conflict) {
        cache.remove(id);
        if (envelope.expected() instanceof ExpectedVersion.Exactly exactly) {
          throw new CommandException.PreconditionFailed(id, exactly.version(), conflict.actual());
        }
        continue;
      } catch (EventStoreException.UniqueKeyTaken taken) {
        throw CommandException.rule(AggregateType.ruleOf(taken.key()), taken.getMessage());
      } catch (RuntimeException e) {
        cache.remove(id);
        throw e;
      }
      remember(id, new Loaded<>(after, appended.version(), appended.position()));
      maybeSnapshot(id, loaded.version(), appended.version(), after);
      return new CommandResult(id, appended.version(), appended.position(), true);
    }
    throw new CommandException.Conflict(id, settings.maxAttempts());
  }

  /** {@code ChangePrice} → {@code change price}: what a refusal says the caller may not do. */
  private static String describe(Object command) {
    return command.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Set<UniqueKey> difference(Set<UniqueKey> a, Set<UniqueKey> b) {
    if (a.isEmpty()) {
      return Set.of();
    }
    Set<UniqueKey> result = new HashSet<>(a);
    result.removeAll(b);
    return result;
  }

  private void remember(String id, Loaded<S> loaded) {
    if (cache.size() >= settings.cacheSize()) {
      // Evict about a tenth, in no particular order: a miss only costs a read of the log.
      Iterator<String> ids = cache.keySet().iterator();
      for (int i = 0; i < settings.cacheSize() / 10 && ids.hasNext(); i++) {
        ids.next();
        ids.remove();
      }
    }
    cache.put(id, loaded);
  }

  private void maybeSnapshot(String id, long before, long after, S state) {
    int every = settings.snapshotEvery();
    if (every <= 0 || before / every == after / every) {
      return;
    }
    snapshotWriter.execute(() -> {
      try {
        snapshots.save(new Snapshot(id, after, type.stateSchemaVersion(), json.writeValueAsString(state)));
      } catch (RuntimeException e) {
        log.warn("snapshot of {} {} at version {} not saved", type.streamType(), id, after, e);
      }
    });
  }
}
