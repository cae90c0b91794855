package dev.ordo.eventstore;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUID version 7 (RFC 9562): a 48-bit Unix millisecond timestamp, then randomness. Ids made in one
 * process are strictly increasing, so B-tree indexes on event ids stay append-mostly. The random
 * part makes ids unique, not secret: it comes from a fast per-thread generator, not a system one
 * that takes a lock and a system call per id.
 */
public final class TimeOrderedUuid {

  /** Last (millis << 12 | counter) handed out; the 12-bit counter keeps ids in one millisecond ordered. */
  private static final AtomicLong LAST = new AtomicLong();

  private TimeOrderedUuid() {}

  public static UUID next() {
    long stamp = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() << 12));
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
