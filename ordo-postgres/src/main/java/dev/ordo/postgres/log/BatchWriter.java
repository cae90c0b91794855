package dev.ordo.postgres.log;

import dev.ordo.postgres.DatabaseErrors;

import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.postgres.commands.PostgresCommandLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes one batch in one transaction and answers each of its appends: the result, a conflict, or
 * the error that append alone caused.
 *
 * <p>The first try is optimistic: stream heads come from {@link StreamHeads} (only unknown streams'
 * heads are read), and stored event ids are left to the unique index to find; when it writes
 * nothing but events, the insert commits itself. If that try meets a version conflict or a unique
 * violation, the batch is written carefully: streams locked ({@link StreamLocks}), heads and stored
 * ids read from the database ({@link StoredEvents}). If even that fails for a reason other than an
 * unreachable database, each append is written on its own, so one bad append cannot fail the others.
 */
final class BatchWriter {

  /** Careful tries of one append that lost races to other processes before it gives up. */
  private static final int RACE_RETRIES = 20;

  private final DataSource dataSource;
  private final Runnable afterCommit;
  private final StreamHeads knownHeads = new StreamHeads();

  BatchWriter(DataSource dataSource, Runnable afterCommit) {
    this.dataSource = dataSource;
    this.afterCommit = afterCommit;
  }

  /** Completes every append's future; throws only what nothing here expected. */
  void write(List<PendingAppend> batch) {
    boolean careful = false;
    for (int attempt = 1; ; attempt++) {
      try {
        Map<PendingAppend, Object> outcomes = writeInTransaction(batch, careful);
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
      } catch (UniqueKeyClaims.KeyTaken e) {
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
          knownHeads.forget(batch);
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
  private Map<PendingAppend, Object> writeInTransaction(List<PendingAppend> batch, boolean careful)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Map<PendingAppend, Object> outcomes = new IdentityHashMap<>();
        Map<UUID, StoredEvents.Stored> stored = new HashMap<>();
        Map<String, Long> heads = new HashMap<>();
        boolean readFirst = careful;
        if (careful) {
          StreamLocks.lock(connection, batch);
          StoredEvents.read(connection, batch, stored, heads);
        } else {
          List<String> unknown = knownHeads.lookUp(batch, heads);
          if (!unknown.isEmpty()) {
            StreamHeads.read(connection, unknown, heads);
            readFirst = true;
          }
        }
        List<PendingAppend> accepted = new ArrayList<>();
        for (PendingAppend p : batch) {
          Object earlier = stored.isEmpty() ? null : StoredEvents.earlierOutcome(p, stored);
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
        if (!readFirst && accepted.stream().allMatch(BatchWriter::insertOnly)) {
          // the insert is the whole transaction: it commits itself, one round trip instead of two
          connection.setAutoCommit(true);
        }
        if (!accepted.isEmpty()) {
          UniqueKeyClaims.releaseAndClaim(connection, accepted);
          // rows in stream order: two batches waiting on each other's keys would otherwise deadlock
          accepted.sort(Comparator.comparing(PendingAppend::streamId));
          EventRows.insert(connection, accepted, heads, outcomes);
          recordCompletions(connection, accepted, outcomes);
        }
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        knownHeads.remember(accepted, heads);
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  /** An append that writes nothing but its events: no unique keys, no command log record. */
  private static boolean insertOnly(PendingAppend p) {
    return p.request().claims().isEmpty() && p.request().releases().isEmpty() && p.request().completion() == null;
  }

  /**
   * The command log records of the appends that carry one, with their versions and positions,
   * written in the append's transaction.
   */
  private static void recordCompletions(Connection connection, List<PendingAppend> accepted,
      Map<PendingAppend, Object> outcomes) throws SQLException {
    List<AppendRequest.CommandCompletion> completions = new ArrayList<>();
    List<AppendResult> results = new ArrayList<>();
    for (PendingAppend p : accepted) {
      if (p.request().completion() != null) {
        completions.add(p.request().completion());
        results.add((AppendResult) outcomes.get(p));
      }
    }
    if (!completions.isEmpty()) {
      PostgresCommandLog.recordAppended(connection, completions, results);
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
