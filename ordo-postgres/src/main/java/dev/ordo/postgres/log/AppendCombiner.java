package dev.ordo.postgres.log;

import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;

import dev.ordo.codec.JsonStrings;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.UniqueKey;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.postgres.commands.PostgresCommandLog;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

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

  record Pending(AppendRequest request, CompletableFuture<AppendResult> result) {

    String streamId() {
      return request.streamId();
    }

    String streamType() {
      return request.streamType();
    }

    ExpectedVersion expected() {
      return request.expected();
    }

    List<NewEvent> events() {
      return request.events();
    }
  }

  /**
   * Serialises careful writers of the same streams across processes for the rest of the
   * transaction, locking in one order so two batches cannot deadlock. Takes no transaction id:
   * the append stays the transaction's first write.
   */
  private static final String LOCK_STREAMS = """
      SELECT count(pg_advisory_xact_lock(hashtextextended(stream_id, 0)))
        FROM (SELECT stream_id FROM unnest(?::text[]) AS s(stream_id) ORDER BY stream_id) AS sorted
      """;

  private static final String RELEASE_KEYS = """
      DELETE FROM unique_keys k
       USING unnest(?::text[], ?::text[], ?::text[]) AS r(scope, value, stream_id)
       WHERE k.scope = r.scope AND k.value = r.value AND k.stream_id = r.stream_id
      """;

  /** Returns each key granted: new, or held by the same stream already. */
  private static final String CLAIM_KEYS = """
      INSERT INTO unique_keys (scope, value, stream_id)
      SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
      ON CONFLICT (scope, value) DO UPDATE SET stream_id = excluded.stream_id
       WHERE unique_keys.stream_id = excluded.stream_id
      RETURNING scope, value, stream_id
      """;

  private static final String READ_HEADS = """
      SELECT s.stream_id,
             coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0)
        FROM unnest(?::text[]) AS s(stream_id)
      """;

  /**
   * In one round trip: the head version of every stream in the batch, and every event of the batch
   * already stored (a retried append).
   */
  private static final String READ_STATE = """
      SELECT s.stream_id,
             coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0),
             NULL::uuid, NULL::bigint
        FROM unnest(?::text[]) AS s(stream_id)
      UNION ALL
      SELECT stream_id, stream_version, event_id, global_position
        FROM events
       WHERE event_id = ANY (?::uuid[])
      """;

  /**
   * Every accepted event in one statement. Data and metadata travel as two JSON arrays, parsed once
   * by the server: cheaper than a text array whose every element must be escaped and parsed again.
   */
  private static final String INSERT_EVENTS = """
      INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                          data, metadata)
      SELECT e.stream_id, e.stream_version, e.stream_type, e.event_id, e.event_type, e.schema_version,
             d.value, m.value
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::int[]) WITH ORDINALITY
             AS e(stream_id, stream_version, stream_type, event_id, event_type, schema_version, n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS d(value, n) USING (n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS m(value, n) USING (n)
      RETURNING stream_id, stream_version, global_position
      """;

  /** Careful tries of one append that lost races to other processes before it gives up. */
  private static final int RACE_RETRIES = 20;
  private static final int KNOWN_HEADS = 100_000;

  private final DataSource dataSource;
  private final Runnable afterCommit;
  private final int maxBatchEvents;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<String> busyStreams = new HashSet<>();
  private final List<Thread> writers = new ArrayList<>();
  /**
   * Stream heads this process wrote, most recently used last. Never ahead of the database: an
   * entry is set after its commit, and only this process's batches (one per stream at a time)
   * set it. It may lag behind appends of other processes; then the insert fails on the primary
   * key and the batch is retried carefully.
   */
  private final Map<String, Long> knownHeads = new LinkedHashMap<>(1 << 16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > KNOWN_HEADS;
    }
  };
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

  AppendResult append(AppendRequest request) {
    String streamId = request.streamId();
    var pending = new Pending(request, new CompletableFuture<>());
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
   * Writes a batch in one transaction. The first try is optimistic: stream heads come from
   * {@link #knownHeads} (only unknown streams' heads are read), and stored event ids are left to the
   * unique index to find. If that try meets a version conflict or a unique violation, the batch is
   * written carefully: streams locked, heads and stored ids read from the database. If even that fails for a reason
   * other than an unreachable database, each append is written on its own, so one bad append
   * cannot fail the others.
   */
  private void write(List<Pending> batch) {
    boolean careful = false;
    for (int attempt = 1; ; attempt++) {
      try {
        Map<Pending, Object> outcomes = writeInTransaction(batch, careful);
        if (outcomes == null) {
          careful = true;
          continue;
        }
        afterCommit.run();
        outcomes.forEach((p, outcome) -> {
          if (outcome instanceof AppendResult result) {
            p.result().complete(result);
          } else {
            p.result().completeExceptionally((RuntimeException) outcome);
          }
        });
        return;
      } catch (KeyTaken e) {
        // Versions handed out after the refused append no longer hold: write each on its own.
        if (batch.size() > 1) {
          batch.forEach(p -> write(List.of(p)));
        } else {
          batch.getFirst().result().completeExceptionally(e.taken);
        }
        return;
      } catch (SQLException e) {
        if (DatabaseErrors.isUnavailable(e)) {
          batch.forEach(p -> p.result().completeExceptionally(
              new EventStoreException.Unavailable("database unavailable while appending to " + p.streamId(), e)));
          return;
        }
        boolean raced = DatabaseErrors.isUniqueViolation(e) || DatabaseErrors.isDeadlock(e);
        if (raced) {
          // a stored event id, or another process appended to one of these streams
          forgetHeads(batch);
        }
        if (raced && !careful) {
          careful = true;
          continue;
        }
        if (batch.size() > 1) {
          batch.forEach(p -> write(List.of(p)));
          return;
        }
        if (!raced || attempt >= RACE_RETRIES) {
          batch.getFirst().result().completeExceptionally(DatabaseErrors.translate("appending", e));
          return;
        }
      }
    }
  }

  /**
   * The outcome of each append: an {@link AppendResult} or the exception to throw; null when an
   * optimistic try found something only a careful one may answer (it wrote nothing).
   */
  private Map<Pending, Object> writeInTransaction(List<Pending> batch, boolean careful) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Map<Pending, Object> outcomes = new IdentityHashMap<>();
        Map<UUID, Stored> stored = new HashMap<>();
        Map<String, Long> heads = new HashMap<>();
        boolean readFirst = careful;
        if (careful) {
          lockStreams(connection, batch);
          readState(connection, batch, stored, heads);
        } else {
          List<String> unknown = knownHeads(batch, heads);
          if (!unknown.isEmpty()) {
            readHeads(connection, unknown, heads);
            readFirst = true;
          }
        }
        List<Pending> accepted = new ArrayList<>();
        for (Pending p : batch) {
          Object earlier = stored.isEmpty() ? null : earlierOutcome(p, stored);
          if (earlier != null) {
            outcomes.put(p, earlier);
            continue;
          }
          long head = heads.get(p.streamId());
          if (p.expected().accepts(head)) {
            accepted.add(p);
            heads.put(p.streamId(), head + p.events().size());
          } else if (!careful) {
            // perhaps a retry of an append already stored: only a careful try can tell
            return null;
          } else {
            outcomes.put(p, new EventStoreException.WrongExpectedVersion(p.streamId(), p.expected(), head));
          }
        }
        if (!readFirst && accepted.stream().allMatch(AppendCombiner::insertOnly)) {
          // the insert is the whole transaction: it commits itself, one round trip instead of two
          connection.setAutoCommit(true);
        }
        if (!accepted.isEmpty()) {
          claimKeys(connection, accepted);
          // rows in stream order: two batches waiting on each other's keys would otherwise deadlock
          accepted.sort(Comparator.comparing(Pending::streamId));
          insert(connection, accepted, heads, outcomes);
          recordCompletions(connection, accepted, outcomes);
        }
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        rememberHeads(accepted, heads);
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  /** An append that writes nothing but its events: no unique keys, no command log record. */
  private static boolean insertOnly(Pending p) {
    return p.request().claims().isEmpty() && p.request().releases().isEmpty() && p.request().completion() == null;
  }

  /** Puts the heads this process knows into {@code heads}; returns the streams it does not know. */
  private List<String> knownHeads(List<Pending> batch, Map<String, Long> heads) {
    List<String> unknown = new ArrayList<>();
    synchronized (knownHeads) {
      for (Pending p : batch) {
        Long head = knownHeads.get(p.streamId());
        if (head != null) {
          heads.put(p.streamId(), head);
        } else if (!unknown.contains(p.streamId())) {
          unknown.add(p.streamId());
        }
      }
    }
    return unknown;
  }

  private void rememberHeads(List<Pending> accepted, Map<String, Long> heads) {
    synchronized (knownHeads) {
      accepted.forEach(p -> knownHeads.put(p.streamId(), heads.get(p.streamId())));
    }
  }

  private void forgetHeads(List<Pending> batch) {
    synchronized (knownHeads) {
      batch.forEach(p -> knownHeads.remove(p.streamId()));
    }
  }

  private record Stored(String streamId, long version, long position) {}

  /** A unique key of the batch is held by another stream; the transaction is rolled back. */
  private static final class KeyTaken extends RuntimeException {
    final EventStoreException.UniqueKeyTaken taken;

    KeyTaken(EventStoreException.UniqueKeyTaken taken) {
      super(taken.getMessage(), null, false, false);
      this.taken = taken;
    }
  }

  /** Claims and releases the accepted appends' unique keys; throws {@link KeyTaken} if one is held. */
  private static void claimKeys(Connection connection, List<Pending> accepted) throws SQLException {
    List<String[]> releases = new ArrayList<>();
    List<String[]> claims = new ArrayList<>();
    for (Pending p : accepted) {
      p.request().releases().forEach(k -> releases.add(new String[] {k.scope(), k.value(), p.streamId()}));
      p.request().claims().forEach(k -> claims.add(new String[] {k.scope(), k.value(), p.streamId()}));
    }
    if (!releases.isEmpty()) {
      try (PreparedStatement delete = connection.prepareStatement(RELEASE_KEYS)) {
        setColumns(connection, delete, releases);
        delete.executeUpdate();
      }
    }
    if (claims.isEmpty()) {
      return;
    }
    Map<String, String> granted = new HashMap<>();
    try (PreparedStatement insert = connection.prepareStatement(CLAIM_KEYS)) {
      setColumns(connection, insert, claims);
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          granted.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getString(3));
        }
      }
    }
    for (Pending p : accepted) {
      for (UniqueKey key : p.request().claims()) {
        if (!p.streamId().equals(granted.get(key.scope() + "\u0000" + key.value()))) {
          throw new KeyTaken(new EventStoreException.UniqueKeyTaken(key));
        }
      }
    }
  }

  private static void setColumns(Connection connection, PreparedStatement statement, List<String[]> rows)
      throws SQLException {
    for (int column = 0; column < 3; column++) {
      int c = column;
      statement.setArray(column + 1, connection.createArrayOf("text", rows.stream().map(r -> r[c]).toArray()));
    }
  }

  /** The command log records of the appends that carry one, with their versions and positions. */
  private static void recordCompletions(Connection connection, List<Pending> accepted, Map<Pending, Object> outcomes)
      throws SQLException {
    List<AppendRequest.CommandCompletion> completions = new ArrayList<>();
    List<AppendResult> results = new ArrayList<>();
    for (Pending p : accepted) {
      if (p.request().completion() != null) {
        completions.add(p.request().completion());
        results.add((AppendResult) outcomes.get(p));
      }
    }
    if (!completions.isEmpty()) {
      PostgresCommandLog.recordAppended(connection, completions, results);
    }
  }

  private static void lockStreams(Connection connection, List<Pending> batch) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_STREAMS)) {
      lock.setArray(1, connection.createArrayOf("text", batch.stream().map(Pending::streamId).distinct().toArray()));
      lock.executeQuery().close();
    }
  }

  private static void readHeads(Connection connection, List<String> streams, Map<String, Long> heads)
      throws SQLException {
    try (PreparedStatement select = Statements.prepare(connection, READ_HEADS)) {
      select.setArray(1, connection.createArrayOf("text", streams.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          heads.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
  }

  private static void readState(Connection connection, List<Pending> batch, Map<UUID, Stored> stored,
      Map<String, Long> heads) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    batch.forEach(p -> p.events().forEach(e -> ids.add(e.eventId())));
    String[] streams = batch.stream().map(Pending::streamId).distinct().toArray(String[]::new);
    try (PreparedStatement select = Statements.prepare(connection, READ_STATE)) {
      select.setArray(1, connection.createArrayOf("text", streams));
      select.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          UUID eventId = rs.getObject(3, UUID.class);
          if (eventId == null) {
            heads.put(rs.getString(1), rs.getLong(2));
          } else {
            stored.put(eventId, new Stored(rs.getString(1), rs.getLong(2), rs.getLong(4)));
          }
        }
      }
    }
  }

  /**
   * For an append whose events are stored already: its original result, or the error for ids
   * that are only partly stored or stored elsewhere. Null when none of its events is stored.
   */
  private static Object earlierOutcome(Pending p, Map<UUID, Stored> stored) {
    List<Stored> found = p.events().stream().map(e -> stored.get(e.eventId())).filter(s -> s != null).toList();
    if (found.isEmpty()) {
      return null;
    }
    if (found.size() < p.events().size() || found.stream().anyMatch(s -> !s.streamId().equals(p.streamId()))) {
      return new IllegalArgumentException(
          "append to " + p.streamId() + ": some of its event ids are already stored, not all in this stream");
    }
    Stored last = found.stream().max((a, b) -> Long.compare(a.version(), b.version())).orElseThrow();
    return new AppendResult(p.streamId(), last.version(), last.position());
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
    var data = new StringBuilder(n * 128).append('[');
    var metadata = new StringBuilder(n * 64).append('[');
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
        if (i > 0) {
          data.append(',');
          metadata.append(',');
        }
        data.append(e.data());
        metadata.append(e.metadata().equals(first.metadata()) ? firstMetadata : metadataJson(e));
        i++;
      }
      lastEventOf.put(p.streamId() + "\u0000" + next.get(p.streamId()), p);
    }
    // A plain prepared statement: its plan does not depend on the table's size.
    try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
      insert.setArray(1, array(connection, "text", streamIds));
      insert.setArray(2, array(connection, "int8", versions));
      insert.setArray(3, array(connection, "text", streamTypes));
      insert.setArray(4, array(connection, "uuid", eventIds));
      insert.setArray(5, array(connection, "text", types));
      insert.setArray(6, array(connection, "int4", schemaVersions));
      insert.setString(7, data.append(']').toString());
      insert.setString(8, metadata.append(']').toString());
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

  /** Written by hand: it runs for every append, and the fields are four optional strings. */
  static String metadataJson(NewEvent event) {
    var m = event.metadata();
    var json = new StringBuilder(128).append('{');
    field(json, "correlationId", m.correlationId());
    field(json, "causationId", m.causationId());
    field(json, "actor", m.actor());
    field(json, "commandId", m.commandId());
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value != null) {
      JsonStrings.appendQuoted(json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":"), value);
    }
  }


  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the transaction is gone with it
    }
  }
}
