package dev.ordo.catalog.product;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Product details as last rendered, kept only by the process that applies {@code product_read}
 * itself: {@link ProductReadProjection} evicts a product after the commit that changed its row
 * and before waiters on {@code Ordo-Min-Position} see that commit, and a rename of a store or a
 * category empties the cache. Each entry names the generation it was read from, so a rebuilt
 * read model taking over is never answered from the old one's entries.
 *
 * <p>An answer read from the database while an eviction ran is not kept: {@link #put} is given the
 * eviction count seen before the read and drops the entry if it has moved since (the read may
 * have seen the row before the change).
 */
public final class ProductDetailCache {

  /** A rendered detail: its JSON, its version for the ETag, the generation it came from, until when it holds. */
  record Entry(byte[] body, long version, int generation, Instant expires) {}

  static final int MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();

  /** The eviction count to give {@link #put} for a read starting now. */
  long stamp() {
    return evictions.get();
  }

  Entry get(String productId, int generation) {
    Entry entry = entries.get(productId);
    if (entry == null || entry.generation() != generation || Instant.now().isAfter(entry.expires())) {
      return null;
    }
    return entry;
  }

  void put(String productId, Entry entry, long stamp) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear(); // crude, but bounded; the hot products come back at once
    }
    entries.put(productId, entry);
    if (evictions.get() != stamp) {
      entries.remove(productId, entry);
    }
  }

  void evict(Set<String> productIds) {
    evictions.incrementAndGet();
    productIds.forEach(entries::remove);
  }

  void evictAll() {
    evictions.incrementAndGet();
    entries.clear();
  }
}
