package dev.ordo.eventstore;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUID version 7 (RFC 9562): a 48-bit Unix millisecond timestamp, then randomness. Ids made in one
 * process are strictly increasing, so B-tree indexes on event ids stay append-mostly.
 */
public final class TimeOrderedUuid {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Last (millis << 12 | counter) handed out; the 12-bit counter keeps ids in one millisecond ordered. */
  private static final AtomicLong LAST = new AtomicLong();

  private TimeOrderedUuid() {}

  public static UUID next() {
    long stamp = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() << 12));
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
