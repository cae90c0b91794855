package dev.ordo.bench;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.spring.query.ReadModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scaling curves rather than one point: the stock adjustments of {@code command_http} and their
 * command-to-visible lag at 1 to 256 clients (command_http_scaling); product_read rebuilt over logs
 * ten and a hundred times longer (rebuild_scaling: a flat rate is a cost linear in the log); and
 * product reads from one app instance against two sharing the same PostgreSQL (query_http_instances).
 */
final class ScalingBenchmarks {

  static final List<String> FIGURES = List.of("command_http_scaling", "rebuild_scaling", "query_http_instances");

  /** Closed-loop clients at each point of command_http_scaling. */
  static final List<Integer> CLIENTS = List.of(1, 8, 64, 256);

  /** Clients reading at once in query_http_instances, split evenly between the instances. */
  static final int READERS = 64;

  private ScalingBenchmarks() {}

  static void run(BenchDatabase database, Bench.Settings settings, Map<String, Bench.Result> results)
      throws Exception {
    if (settings.wants("command_http_scaling")) {
      results.put("command_http_scaling", commands(database, settings));
    }
    if (settings.wants("rebuild_scaling")) {
      results.put("rebuild_scaling", rebuilds(database, settings));
    }
    if (settings.wants("query_http_instances")) {
      results.put("query_http_instances", instances(database, settings));
    }
  }

  /**
   * A new app on an emptied log, products seeded and the command path compiled; then per point and
   * run, once the consumers stand at the head of the log, {@code clients} closed-loop clients
   * adjusting stock: requests per second, latency, and product_read's command-to-visible lag.
   */
  private static Bench.Result commands(BenchDatabase database, Bench.Settings settings) throws Exception {
    database.reset();
    int products = settings.quick() ? 200 : 1_000;
    List<Map<String, Object>> points = new ArrayList<>();
    Map<Integer, List<Double>> rates = new LinkedHashMap<>();
    try (var commands = new CommandBenchmarks(database.jdbcUrl())) {
      commands.seed(products);
      Load.latencies(64, Duration.ZERO, settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15),
          commands::adjustStock);
      for (int clients : CLIENTS) {
        rates.put(clients, new ArrayList<>());
        points.add(commandPoint(settings, commands, clients, rates.get(clients)));
      }
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("request", "POST /api/v1/products/{id}/stock-adjustments {delta: -1} on " + products
        + " products, closed loop, as command_http");
    parameters.put("what", "requests/s at " + CLIENTS.getLast() + " clients; points: requests/s, latency and "
        + "product_read's command-to-visible lag (event time to the commit applying it) at each client count, "
        + "medians of the runs, each point measured once every consumer had reached the head of the log");
    parameters.put("points", points);
    parameters.put("baselineIs", "the same load from 1 client");
    List<Double> most = rates.get(CLIENTS.getLast());
    List<Double> one = rates.get(CLIENTS.getFirst());
    return new Bench.Result(Bench.median(most), Bench.median(one), "requests/s", settings.runs(), parameters, most,
        one);
  }

  /** One point of command_http_scaling; its runs' rates go to {@code rates}. */
  private static Map<String, Object> commandPoint(Bench.Settings settings, CommandBenchmarks commands, int clients,
      List<Double> rates) throws Exception {
    ConsumerRunner.LagRecorder lag = commands.lag();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    List<Double> lagP50s = new ArrayList<>();
    List<Double> lagP99s = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      commands.settle();
      lag.reset();
      Set<Thread> answered = ConcurrentHashMap.newKeySet();
      Load.Stats stats = Load.latencies(clients, settings.warmUp(), settings.measure(), () -> {
        long micros = commands.adjustStock();
        answered.add(Thread.currentThread());
        return micros;
      });
      if (answered.size() != clients) {
        throw new IllegalStateException("command_http_scaling: " + answered.size() + " of " + clients
            + " clients were answered");
      }
      rates.add(stats.perSecond());
      p50s.add(stats.p50Millis());
      p99s.add(stats.p99Millis());
      lagP50s.add((double) lag.percentile(50));
      lagP99s.add((double) lag.percentile(99));
      System.out.printf("command_http_scaling %d clients, run %d: %.0f requests/s, p50 %.1f ms, p99 %.1f ms; "
          + "command-to-visible p50 %d ms, p99 %d ms%n", clients, run + 1, stats.perSecond(), stats.p50Millis(),
          stats.p99Millis(), lag.percentile(50), lag.percentile(99));
    }
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("clients", clients);
    point.put("perSecond", Bench.round(Bench.median(rates)));
    point.put("p50Ms", Bench.round(Bench.median(p50s)));
    point.put("p99Ms", Bench.round(Bench.median(p99s)));
    point.put("lagP50Ms", Bench.round(Bench.median(lagP50s)));
    point.put("lagP99Ms", Bench.round(Bench.median(lagP99s)));
    return point;
  }

  /**
   * product_read rebuilt from position 0 (as rebuild) over logs of 10⁵ and 10⁶ events, and 10⁷ in
   * the full run (one run there): the rate of each, which stays flat when the cost is linear.
   */
  private static Bench.Result rebuilds(BenchDatabase database, Bench.Settings settings) throws Exception {
    List<Integer> sizes = settings.quick() ? List.of(1_000, 10_000) : List.of(1_000, 10_000, 100_000);
    List<Map<String, Object>> points = new ArrayList<>();
    List<List<Double>> runsPerSize = new ArrayList<>();
    for (int products : sizes) {
      int runs = products >= 100_000 ? 1 : Math.min(settings.runs(), 3);
      List<Double> rates = new ArrayList<>();
      database.reset();
      try (var replay = new ReplayBenchmarks(database, products)) {
        long start = System.nanoTime();
        replay.seedOrdo();
        System.out.printf("rebuild_scaling: seeded %d events in %.0f s%n", replay.events(),
            (System.nanoTime() - start) / 1e9);
        for (int run = 0; run < runs; run++) {
          rates.add(replay.ordoRebuild(run));
          System.out.printf("rebuild_scaling %d events, run %d: %.0f events/s%n", replay.events(), run + 1,
              rates.getLast());
        }
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("events", replay.events());
        point.put("products", products);
        point.put("runs", runs);
        point.put("eventsPerSecond", Bench.round(Bench.median(rates)));
        points.add(point);
      }
      runsPerSize.add(rates);
    }
    database.reset(); // the largest log's disk back before the next benchmark
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "product_read built from position 0 into an empty read database until it reaches the "
        + "head, as rebuild, over logs of " + points.stream().map(p -> p.get("events").toString()).toList()
        + " events (100 per product); events/s at the longest log; a flat rate is a cost linear in the log");
    parameters.put("batchSize", 500);
    parameters.put("points", points);
    parameters.put("baselineIs", "the same rebuild over the shortest log (" + points.getFirst().get("events")
        + " events)");
    return new Bench.Result(Bench.median(runsPerSize.getLast()), Bench.median(runsPerSize.getFirst()), "events/s",
        runsPerSize.getLast().size(), parameters, runsPerSize.getLast(), runsPerSize.getFirst());
  }

  /**
   * Product reads from {@link #READERS} clients on one app, against the same clients split evenly
   * between it and a second app on the same database; and, to tell the two paths apart, on the second
   * alone. Runs alternate. The second is a replica as deployed: its projections and processes stand
   * by on their advisory leases while the first leads them, so it answers every read from the read
   * database (the detail cache is kept only where product_read is applied); its search index is off
   * (an embedded index lives on an instance's own disk, and both apps share this process's directory).
   */
  private static Bench.Result instances(BenchDatabase database, Bench.Settings settings) throws Exception {
    database.reset();
    int products = settings.quick() ? 200 : 1_000;
    List<Load.Stats> leaderRuns = new ArrayList<>();
    List<Load.Stats> standbyRuns = new ArrayList<>();
    List<List<Load.Stats>> twoRuns = new ArrayList<>();
    try (var first = new CommandBenchmarks(database.jdbcUrl());
        var second = new CommandBenchmarks(database.jdbcUrl(), "--ordo.search.enabled=false")) {
      first.seed(products);
      second.adopt(first.products());
      first.settle();
      if (first.bean(ReadModels.class).servingGeneration("product_read").isEmpty()
          || second.bean(ReadModels.class).servingGeneration("product_read").isPresent()) {
        throw new IllegalStateException("query_http_instances: the first instance is to lead product_read, the "
            + "second to stand by");
      }
      reads(List.of(first, second), Duration.ZERO,
          settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15));
      for (int run = 0; run < settings.runs(); run++) {
        leaderRuns.add(reads(List.of(first), settings.warmUp(), settings.measure()).getFirst());
        standbyRuns.add(reads(List.of(second), settings.warmUp(), settings.measure()).getFirst());
        twoRuns.add(reads(List.of(first, second), settings.warmUp(), settings.measure()));
        System.out.printf("query_http_instances run %d: the first alone %.0f requests/s, the second alone %.0f, "
            + "both %.0f (%.0f + %.0f)%n", run + 1, leaderRuns.getLast().perSecond(),
            standbyRuns.getLast().perSecond(), total(twoRuns.getLast()), twoRuns.getLast().getFirst().perSecond(),
            twoRuns.getLast().getLast().perSecond());
      }
    }
    List<Double> one = leaderRuns.stream().map(Load.Stats::perSecond).toList();
    List<Double> two = twoRuns.stream().map(ScalingBenchmarks::total).toList();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", READERS);
    parameters.put("request", "GET /api/v1/products/{id} on " + products + " products");
    parameters.put("what", "requests/s from " + READERS + " clients split evenly between two app instances on the "
        + "same PostgreSQL database and the same machine: the first leads the projections and answers from its "
        + "detail cache, the second stands by and answers from the read database");
    parameters.put("points", List.of(
        instancePoint(1, "the first (leads product_read: detail cache)", List.of(leaderRuns)),
        instancePoint(1, "the second (standby: read database)", List.of(standbyRuns)),
        instancePoint(2, "both, " + READERS / 2 + " clients each", List.of(
            twoRuns.stream().map(List::getFirst).toList(), twoRuns.stream().map(List::getLast).toList()))));
    parameters.put("baselineIs", "the same " + READERS + " clients on the first instance alone (the second idle)");
    return new Bench.Result(Bench.median(two), Bench.median(one), "requests/s", settings.runs(), parameters, two,
        one);
  }

  /** A point of query_http_instances: the total rate, and each instance's rate and p99 (medians of the runs). */
  private static Map<String, Object> instancePoint(int instances, String serving, List<List<Load.Stats>> perInstance) {
    List<Double> totals = new ArrayList<>();
    for (int run = 0; run < perInstance.getFirst().size(); run++) {
      int at = run;
      totals.add(perInstance.stream().mapToDouble(stats -> stats.get(at).perSecond()).sum());
    }
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("instances", instances);
    point.put("serving", serving);
    point.put("perSecond", Bench.round(Bench.median(totals)));
    point.put("perInstancePerSecond", perInstance.stream()
        .map(stats -> Bench.round(Bench.median(stats.stream().map(Load.Stats::perSecond).toList()))).toList());
    point.put("perInstanceP99Ms", perInstance.stream()
        .map(stats -> Bench.round(Bench.median(stats.stream().map(Load.Stats::p99Millis).toList()))).toList());
    return point;
  }

  private static double total(List<Load.Stats> stats) {
    return stats.stream().mapToDouble(Load.Stats::perSecond).sum();
  }

  /** {@link #READERS} clients split evenly between the apps, at the same time: each app's stats. */
  private static List<Load.Stats> reads(List<CommandBenchmarks> apps, Duration warmUp, Duration measure)
      throws Exception {
    ExecutorService loads = Executors.newFixedThreadPool(apps.size());
    try {
      List<Future<Load.Stats>> running = new ArrayList<>();
      for (CommandBenchmarks app : apps) {
        running.add(loads.submit(() -> Load.latencies(READERS / apps.size(), warmUp, measure, app::readProduct)));
      }
      List<Load.Stats> stats = new ArrayList<>();
      for (Future<Load.Stats> future : running) {
        stats.add(future.get());
      }
      return stats;
    } finally {
      loads.shutdown();
    }
  }
}
