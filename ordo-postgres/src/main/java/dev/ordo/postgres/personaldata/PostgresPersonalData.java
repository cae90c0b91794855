package dev.ordo.postgres.personaldata;

import dev.ordo.personaldata.PersonalData;
import dev.ordo.personaldata.SealedValues;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Personal data sealed with keys kept in {@code personal_data_keys}, in the log database: a key
 * lives where the events it protects are written, and nowhere else.
 *
 * <p>Keys are cached in memory, by key id for {@link #open} and by subject for {@link #seal}.
 * {@link #forget} deletes the row and evicts this process's entries at once; another process
 * holding the same database keeps its cached entries until they expire, {@code cacheFor} after
 * they were read (a few seconds), so a forget made elsewhere takes effect here that much later.
 * A key found missing is remembered as missing for as long.
 */
public final class PostgresPersonalData implements PersonalData {

  private static final String CREATE = """
      INSERT INTO personal_data_keys (key_id, subject, key) VALUES (?, ?, ?)
      ON CONFLICT (subject) DO NOTHING
      """;

  private static final String BY_SUBJECT = "SELECT key_id, key FROM personal_data_keys WHERE subject = ?";

  private static final String BY_ID = "SELECT key FROM personal_data_keys WHERE key_id = ?";

  private static final String DESTROY = "DELETE FROM personal_data_keys WHERE subject = ? RETURNING key_id";

  /** How many cached entries before the expired ones are swept. */
  private static final int SWEEP_ABOVE = 10_000;

  private record Key(UUID id, byte[] bytes) {}

  /** A key as read at {@code readAt} (nanos), or null: none. */
  private record Cached(Key key, long readAt) {}

  private final DataSource dataSource;
  private final long cacheForNanos;
  private final Map<String, Cached> bySubject = new ConcurrentHashMap<>();
  private final Map<UUID, Cached> byId = new ConcurrentHashMap<>();

  public PostgresPersonalData(DataSource dataSource, Duration cacheFor) {
    this.dataSource = dataSource;
    this.cacheForNanos = cacheFor.toNanos();
  }

  public PostgresPersonalData(DataSource dataSource) {
    this(dataSource, Duration.ofSeconds(5));
  }

  @Override
  public String seal(String subject, String value) {
    if (value == null) {
      return null;
    }
    Cached cached = fresh(bySubject.get(subject));
    Key key = cached != null && cached.key() != null ? cached.key() : keyOf(subject);
    return SealedValues.seal(key.id(), key.bytes(), value);
  }

  @Override
  public String open(String value) {
    if (!PersonalData.sealed(value)) {
      return value;
    }
    UUID id = SealedValues.keyId(value);
    Cached cached = fresh(byId.get(id));
    if (cached == null) {
      cached = remember(byId, id, new Cached(find(id), System.nanoTime()));
    }
    return cached.key() == null ? FORGOTTEN : SealedValues.open(value, cached.key().bytes());
  }

  @Override
  public void forget(String subject) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement destroy = Statements.prepare(connection, DESTROY)) {
      destroy.setString(1, subject);
      try (ResultSet rs = destroy.executeQuery()) {
        while (rs.next()) {
          byId.remove(rs.getObject(1, UUID.class));
        }
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("forgetting a subject's personal data", e);
    } finally {
      bySubject.remove(subject);
    }
  }

  /** The subject's key, made now if it has none; two processes making one at once end up with the same. */
  private Key keyOf(String subject) {
    try (Connection connection = dataSource.getConnection()) {
      Key key = findBySubject(connection, subject);
      if (key == null) {
        try (PreparedStatement create = Statements.prepare(connection, CREATE)) {
          create.setObject(1, UUID.randomUUID());
          create.setString(2, subject);
          create.setBytes(3, SealedValues.newKey());
          create.executeUpdate();
        }
        key = findBySubject(connection, subject);
        if (key == null) {
          throw new IllegalStateException("the key of a subject vanished as it was made");
        }
      }
      long now = System.nanoTime();
      remember(bySubject, subject, new Cached(key, now));
      remember(byId, key.id(), new Cached(key, now));
      return key;
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading a subject's personal data key", e);
    }
  }

  private static Key findBySubject(Connection connection, String subject) throws SQLException {
    try (PreparedStatement select = Statements.prepare(connection, BY_SUBJECT)) {
      select.setString(1, subject);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? new Key(rs.getObject(1, UUID.class), rs.getBytes(2)) : null;
      }
    }
  }

  private Key find(UUID id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, BY_ID)) {
      select.setObject(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? new Key(id, rs.getBytes(1)) : null;
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading a personal data key", e);
    }
  }

  private Cached fresh(Cached cached) {
    return cached != null && System.nanoTime() - cached.readAt() < cacheForNanos ? cached : null;
  }

  private <K> Cached remember(Map<K, Cached> cache, K key, Cached cached) {
    if (cache.size() > SWEEP_ABOVE) {
      cache.values().removeIf(c -> fresh(c) == null);
    }
    cache.put(key, cached);
    return cached;
  }
}
