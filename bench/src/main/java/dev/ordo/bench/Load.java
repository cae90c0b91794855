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

  private Load() {}

  static double perSecond(int threads, Duration warmUp, Duration measure, Operation operation)
      throws InterruptedException {
    var stop = new AtomicBoolean();
    var measuring = new AtomicBoolean();
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
