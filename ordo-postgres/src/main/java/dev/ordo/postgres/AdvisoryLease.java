package dev.ordo.postgres;

import dev.ordo.consumer.Target;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Being the one runner of a consumer across processes: a session advisory lock, held by a
 * connection kept for as long as the lease. A process that dies or loses its connection loses the
 * lock with it, and a standby takes over.
 */
public final class AdvisoryLease implements Target.Lease {

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";

  private final Connection session;
  private final String lock;

  private AdvisoryLease(Connection session, String lock) {
    this.session = session;
    this.lock = lock;
  }

  /** The lease on {@code lock}, or empty while another session holds it. */
  public static Optional<Target.Lease> tryAcquire(DataSource database, String lock) throws SQLException {
    Connection session = database.getConnection();
    try (PreparedStatement tryLock = session.prepareStatement(TRY_LOCK)) {
      tryLock.setString(1, lock);
      try (ResultSet rs = tryLock.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          session.close();
          return Optional.empty();
        }
      }
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw e;
    }
    return Optional.of(new AdvisoryLease(session, lock));
  }

  @Override
  public boolean held() {
    try {
      return session.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try (session; PreparedStatement unlock = session.prepareStatement(UNLOCK)) {
      unlock.setString(1, lock); // the pooled connection outlives this use; its session lock must not
      unlock.executeQuery().close();
    } catch (SQLException e) {
      // the session is gone, and its lock with it
    }
  }
}
