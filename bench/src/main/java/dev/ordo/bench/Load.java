package dev.ordo.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the same operation from many threads for a warm-up, then for a measured window, and
 * reports units per second over the window only.
 */
final class Load {

  /** One writer's loop body; returns how many units (events, requests) it just completed. */
  @FunctionalInterface
  interface Operation {
    int run(int writer, long iteration) throws Exception;
  }

  /** One request; returns its latency in microseconds. */
  @FunctionalInterface
  interface Request {
    long run() throws Exception;
  }

  /** Throughput and latency percentiles over the measured window. */
  record Stats(double perSecond, double p50Millis, double p95Millis, double p99Millis) {}

  private Load() {}

  static Stats latencies(int threads, Duration warmUp, Duration measure, Request request) throws InterruptedException {
    var recorded = new Recorded(threads);
    var measuring = new AtomicBoolean();
    double perSecond = perSecond(threads, warmUp, measure, (writer, iteration) -> {
      long micros = request.run();
      if (measuring.get()) {
        recorded.add(writer, micros);
      }
      return 1;
    }, measuring);
    return recorded.stats(perSecond);
  }

  /** Latencies in microseconds, an array per thread (no sharing while measuring). */
  private static final class Recorded {
    private final long[][] perThread;
    private final int[] counts;

    Recorded(int threads) {
      perThread = new long[threads][1 << 14];
      counts = new int[threads];
    }

    void add(int thread, long micros) {
      if (counts[thread] == perThread[thread].length) {
        perThread[thread] = java.util.Arrays.copyOf(perThread[thread], counts[thread] * 2);
      }
      perThread[thread][counts[thread]++] = micros;
    }

    int size() {
      return java.util.Arrays.stream(counts).sum();
    }

    Stats stats(double perSecond) {
      long[] all = new long[size()];
      int at = 0;
      for (int t = 0; t < counts.length; t++) {
        System.arraycopy(perThread[t], 0, all, at, counts[t]);
        at += counts[t];
      }
      java.util.Arrays.sort(all);
      return new Stats(perSecond, percentile(all, 0.50) / 1000.0, percentile(all, 0.95) / 1000.0,
          percentile(all, 0.99) / 1000.0);
    }
  }

  /**
   * An open-loop load: requests at a fixed total rate, spread evenly over the threads, each sent at
   * its scheduled time whether or not earlier ones have answered (a thread that falls behind sends
   * at once). Latency is counted from the scheduled time, so a stall is not hidden by the requests it
   * delayed. Returns the rate achieved and the latencies over the measured window.
   */
  static Stats paced(int threads, double perSecond, Duration warmUp, Duration measure, Request request)
      throws InterruptedException {
    long intervalNanos = Math.round(threads * 1e9 / perSecond);
    long origin = System.nanoTime() + 10_000_000;
    long measureFrom = origin + warmUp.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    var recorded = new Recorded(threads);
    var failures = new LongAdder();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      workers.add(Thread.ofPlatform().name("paced-" + t).start(() -> {
        try {
          for (long k = 0; ; k++) {
            long scheduled = origin + k * intervalNanos + me * intervalNanos / threads;
            if (scheduled >= measureTo) {
              return;
            }
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            request.run();
            if (scheduled >= measureFrom) {
              recorded.add(me, (System.nanoTime() - scheduled) / 1_000);
            }
          }
        } catch (Exception e) {
          failures.increment();
          e.printStackTrace();
        }
      }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failures.sum() > 0) {
      throw new IllegalStateException(failures.sum() + " load threads failed");
    }
    return recorded.stats(recorded.size() * 1e9 / measure.toNanos());
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static double perSecond(int threads, Duration warmUp, Duration measure, Operation operation)
      throws InterruptedException {
    return perSecond(threads, warmUp, measure, operation, new AtomicBoolean());
  }

  private static double perSecond(int threads, Duration warmUp, Duration measure, Operation operation,
      AtomicBoolean measuring) throws InterruptedException {
    var stop = new AtomicBoolean();
    var done = new LongAdder();
    var failures = new LongAdder();
    var finished = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int writer = t;
      workers.add(Thread.ofPlatform().name("load-" + t).start(() -> {
        try {
          for (long i = 0; !stop.get(); i++) {
            int units = operation.run(writer, i);
            if (measuring.get()) {
              done.add(units);
            }
          }
        } catch (Exception e) {
          failures.increment();
          e.printStackTrace();
        } finally {
          finished.countDown();
        }
      }));
    }
    Thread.sleep(warmUp.toMillis());
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    finished.await();
    if (failures.sum() > 0) {
      throw new IllegalStateException(failures.sum() + " load threads failed");
    }
    return done.sum() * 1e9 / elapsed;
  }
}
