package dev.ordo.consumer;

import java.util.Arrays;

/** The most recent command-to-visible lags of a projection, in milliseconds, with percentiles over them. */
public final class LagRecorder {

  private static final int SIZE = 1 << 16; // 15 s of a benchmark at over 4,000 events/s

  private final long[] samples = new long[SIZE];
  private long count;

  public synchronized void record(long millis) {
    samples[(int) (count++ % SIZE)] = Math.max(0, millis);
  }

  /** The p-th percentile (0..100) of the recent samples; 0 without any. */
  public synchronized long percentile(double p) {
    int n = (int) Math.min(count, SIZE);
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * n); // nearest rank, 1-based
    return sorted[Math.clamp(rank - 1, 0, n - 1)];
  }

  /** Forgets the samples so far (a benchmark measures its own window). */
  public synchronized void reset() {
    count = 0;
  }
}
