package dev.ordo.postgres;

import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.StoreUnavailableException;
import dev.ordo.eventstore.WrongExpectedVersionException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Write-combining appends (ARCHITECTURE.md decision 4). Callers queue their appends; a few writer
 * threads each take every queued append they can and write them in one transaction with one
 * multi-row insert. Expected versions are checked per append against the stream heads read in
 * that transaction, so each append still succeeds or conflicts on its own. A batch forms while
 * the previous commit is in flight: no timer, no added latency when the store is idle.
 *
 * <p>Invariants: a stream is never in two open batches of this process (the heads a batch reads
 * stay true until it commits); an event id is never twice in one batch. A writer in another
 * process that races us makes the insert fail on the primary key, and the batch is retried.
 */
final class AppendCombiner implements AutoCloseable {

  record Pending(String streamId, String streamType, ExpectedVersion expected, List<NewEvent> events,
      CompletableFuture<AppendResult> result) {}

  private static final String FIND_STORED = """
      SELECT event_id, stream_id, stream_version, global_position
        FROM events
       WHERE event_id = ANY (?)
      """;

  private static final String READ_HEADS = """
      SELECT s.stream_id,
             coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0)
        FROM unnest(?::text[]) AS s(stream_id)
      """;

  private static final String INSERT_EVENTS = """
      INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                          data, metadata)
      SELECT stream_id, stream_version, stream_type, event_id, event_type, schema_version,
             data::jsonb, metadata::jsonb
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::int[], ?::text[], ?::text[])
             AS e(stream_id, stream_version, stream_type, event_id, event_type, schema_version, data, metadata)
      RETURNING stream_id, stream_version, global_position
      """;

  private static final int RACE_RETRIES = 3;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DataSource dataSource;
  private final Runnable afterCommit;
  private final int maxBatchEvents;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<String> busyStreams = new HashSet<>();
  private final List<Thread> writers = new ArrayList<>();
  private boolean closed;

  AppendCombiner(DataSource dataSource, int writerCount, int maxBatchEvents, Runnable afterCommit) {
    this.dataSource = dataSource;
    this.maxBatchEvents = maxBatchEvents;
    this.afterCommit = afterCommit;
    for (int i = 0; i < writerCount; i++) {
      Thread writer = Thread.ofPlatform().name("ordo-append-" + i).daemon().unstarted(this::writeLoop);
      writers.add(writer);
      writer.start();
    }
  }

  AppendResult append(String streamId, String streamType, ExpectedVersion expected, List<NewEvent> events) {
    var pending = new Pending(streamId, streamType, expected, List.copyOf(events), new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new EventStoreException("the event store is closed");
      }
      queue.add(pending);
      changed.signal();
    } finally {
      lock.unlock();
    }
    try {
      return pending.result().get();
    } catch (InterruptedException e) {
      // The append may still be written; a retry with the same event ids is answered idempotently.
      Thread.currentThread().interrupt();
      throw new EventStoreException("interrupted while appending to " + streamId, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EventStoreException("append to " + streamId + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread writer : writers) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writeLoop() {
    List<Pending> batch;
    while ((batch = takeBatch()) != null) {
      try {
        write(batch);
      } catch (RuntimeException | Error e) {
        batch.forEach(p -> p.result().completeExceptionally(e));
      } finally {
        release(batch);
      }
    }
  }

  /** Waits for appends and takes as many as one batch may hold; null once closed and drained. */
  private List<Pending> takeBatch() {
    lock.lock();
    try {
      while (true) {
        List<Pending> batch = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        Set<String> streams = new HashSet<>();
        int events = 0;
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && events < maxBatchEvents; ) {
          Pending p = it.next();
          if (busyStreams.contains(p.streamId()) || !disjoint(ids, p.events())) {
            continue;
          }
          it.remove();
          batch.add(p);
          streams.add(p.streamId());
          p.events().forEach(e -> ids.add(e.eventId()));
          events += p.events().size();
        }
        if (!batch.isEmpty()) {
          busyStreams.addAll(streams);
          return batch;
        }
        if (closed && queue.isEmpty()) {
          return null;
        }
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private static boolean disjoint(Set<UUID> ids, List<NewEvent> events) {
    for (NewEvent e : events) {
      if (ids.contains(e.eventId())) {
        return false;
      }
    }
    return true;
  }

  private void release(List<Pending> batch) {
    lock.lock();
    try {
      batch.forEach(p -> busyStreams.remove(p.streamId()));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes a batch in one transaction. If it fails for a reason other than an unreachable
   * database, each append is written on its own, so one bad append cannot fail the others.
   */
  private void write(List<Pending> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        Map<Pending, Object> outcomes = writeInTransaction(batch);
        afterCommit.run();
        outcomes.forEach((p, outcome) -> {
          if (outcome instanceof AppendResult result) {
            p.result().complete(result);
          } else {
            p.result().completeExceptionally((RuntimeException) outcome);
          }
        });
        return;
      } catch (SQLException e) {
        if (DatabaseErrors.isUnavailable(e)) {
          batch.forEach(p -> p.result().completeExceptionally(
              new StoreUnavailableException("database unavailable while appending to " + p.streamId(), e)));
          return;
        }
        if (batch.size() > 1) {
          batch.forEach(p -> write(List.of(p)));
          return;
        }
        if (!DatabaseErrors.isUniqueViolation(e) || attempt >= RACE_RETRIES) {
          batch.getFirst().result().completeExceptionally(DatabaseErrors.translate("appending", e));
          return;
        }
        // Another process appended to the stream or stored the same event id meanwhile: read again.
      }
    }
  }

  /** The outcome of each append: an {@link AppendResult} or the exception to throw. */
  private Map<Pending, Object> writeInTransaction(List<Pending> batch) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Map<Pending, Object> outcomes = new HashMap<>();
        List<Pending> toWrite = answerStored(connection, batch, outcomes);
        if (!toWrite.isEmpty()) {
          Map<String, Long> heads = readHeads(connection, toWrite);
          List<Pending> accepted = new ArrayList<>();
          for (Pending p : toWrite) {
            long head = heads.get(p.streamId());
            if (p.expected().accepts(head)) {
              accepted.add(p);
              heads.put(p.streamId(), head + p.events().size());
            } else {
              outcomes.put(p, new WrongExpectedVersionException(p.streamId(), p.expected(), head));
            }
          }
          if (!accepted.isEmpty()) {
            insert(connection, accepted, heads, outcomes);
          }
        }
        connection.commit();
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  /** Answers appends whose events are all stored already with their original result. */
  private static List<Pending> answerStored(Connection connection, List<Pending> batch, Map<Pending, Object> outcomes)
      throws SQLException {
    List<UUID> ids = new ArrayList<>();
    batch.forEach(p -> p.events().forEach(e -> ids.add(e.eventId())));
    record Stored(String streamId, long version, long position) {}
    Map<UUID, Stored> stored = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(FIND_STORED)) {
      select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getObject(1, UUID.class), new Stored(rs.getString(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    if (stored.isEmpty()) {
      return batch;
    }
    List<Pending> toWrite = new ArrayList<>();
    for (Pending p : batch) {
      List<Stored> found = p.events().stream().map(e -> stored.get(e.eventId())).filter(s -> s != null).toList();
      if (found.isEmpty()) {
        toWrite.add(p);
      } else if (found.size() < p.events().size()
          || found.stream().anyMatch(s -> !s.streamId().equals(p.streamId()))) {
        outcomes.put(p, new IllegalArgumentException(
            "append to " + p.streamId() + ": some of its event ids are already stored, not all in this stream"));
      } else {
        Stored last = found.stream().max((a, b) -> Long.compare(a.version(), b.version())).orElseThrow();
        outcomes.put(p, new AppendResult(p.streamId(), last.version(), last.position()));
      }
    }
    return toWrite;
  }

  private static Map<String, Long> readHeads(Connection connection, List<Pending> toWrite) throws SQLException {
    Map<String, Long> heads = new HashMap<>();
    String[] streams = toWrite.stream().map(Pending::streamId).distinct().toArray(String[]::new);
    try (PreparedStatement select = connection.prepareStatement(READ_HEADS)) {
      select.setArray(1, connection.createArrayOf("text", streams));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          heads.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return heads;
  }

  /**
   * Inserts every accepted append in one statement. {@code heads} holds each stream's version
   * after all of them; versions are handed out again from the start in batch order.
   */
  private static void insert(Connection connection, List<Pending> accepted, Map<String, Long> heads,
      Map<Pending, Object> outcomes) throws SQLException {
    Map<String, Long> next = new HashMap<>();
    for (Pending p : accepted) {
      next.merge(p.streamId(), (long) p.events().size(), Long::sum);
    }
    next.replaceAll((stream, added) -> heads.get(stream) - added);
    int n = accepted.stream().mapToInt(p -> p.events().size()).sum();
    String[] streamIds = new String[n];
    Long[] versions = new Long[n];
    String[] streamTypes = new String[n];
    UUID[] eventIds = new UUID[n];
    String[] types = new String[n];
    Integer[] schemaVersions = new Integer[n];
    String[] data = new String[n];
    String[] metadata = new String[n];
    Map<String, Pending> lastEventOf = new HashMap<>();
    int i = 0;
    for (Pending p : accepted) {
      NewEvent first = p.events().getFirst();
      String firstMetadata = metadataJson(first);
      for (NewEvent e : p.events()) {
        long version = next.merge(p.streamId(), 1L, Long::sum);
        streamIds[i] = p.streamId();
        versions[i] = version;
        streamTypes[i] = p.streamType();
        eventIds[i] = e.eventId();
        types[i] = e.type();
        schemaVersions[i] = e.schemaVersion();
        data[i] = e.data();
        metadata[i] = e.metadata().equals(first.metadata()) ? firstMetadata : metadataJson(e);
        i++;
      }
      lastEventOf.put(p.streamId() + "\u0000" + next.get(p.streamId()), p);
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
      insert.setArray(1, array(connection, "text", streamIds));
      insert.setArray(2, array(connection, "int8", versions));
      insert.setArray(3, array(connection, "text", streamTypes));
      insert.setArray(4, array(connection, "uuid", eventIds));
      insert.setArray(5, array(connection, "text", types));
      insert.setArray(6, array(connection, "int4", schemaVersions));
      insert.setArray(7, array(connection, "text", data));
      insert.setArray(8, array(connection, "text", metadata));
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          Pending p = lastEventOf.get(rs.getString(1) + "\u0000" + rs.getLong(2));
          if (p != null) {
            outcomes.put(p, new AppendResult(p.streamId(), rs.getLong(2), rs.getLong(3)));
          }
        }
      }
    }
  }

  private static Array array(Connection connection, String type, Object[] values) throws SQLException {
    return connection.createArrayOf(type, values);
  }

  static String metadataJson(NewEvent event) {
    ObjectNode node = JSON.createObjectNode();
    var m = event.metadata();
    if (m.correlationId() != null) {
      node.put("correlationId", m.correlationId());
    }
    if (m.causationId() != null) {
      node.put("causationId", m.causationId());
    }
    if (m.actor() != null) {
      node.put("actor", m.actor());
    }
    if (m.commandId() != null) {
      node.put("commandId", m.commandId());
    }
    return JSON.writeValueAsString(node);
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the transaction is gone with it
    }
  }
}
