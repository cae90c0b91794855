package dev.ordo.bench;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.postgres.log.PostgresEventStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar bench/target/ordo-bench.jar [--quick] [--only=a,b] [--runs=n] [--out=path]}:
 * every benchmark beside its baseline in one process on one database, several alternating runs,
 * medians, written to {@code bench/results/latest.json}.
 */
public final class Bench {

  record Settings(boolean quick, Set<String> only, int runs, Duration warmUp, Duration measure, Path out) {

    static Settings parse(String[] args) {
      boolean quick = Arrays.asList(args).contains("--quick");
      Set<String> only = Set.of();
      Integer runs = null;
      Path out = Path.of("bench/results/latest.json");
      for (String arg : args) {
        if (arg.startsWith("--only=")) {
          only = Set.of(arg.substring(7).split(","));
        } else if (arg.startsWith("--runs=")) {
          runs = Integer.parseInt(arg.substring(7));
        } else if (arg.startsWith("--out=")) {
          out = Path.of(arg.substring(6));
        } else if (!arg.equals("--quick")) {
          throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      return quick
          ? new Settings(true, only, runs == null ? 1 : runs, Duration.ofSeconds(2), Duration.ofSeconds(4), out)
          : new Settings(false, only, runs == null ? 5 : runs, Duration.ofSeconds(5), Duration.ofSeconds(15), out);
    }

    boolean wants(String name) {
      return only.isEmpty() || only.contains(name);
    }
  }

  /** One comparison's outcome: medians over the runs, and the parameters that make it reproducible. */
  record Result(double ordo, Double baseline, String unit, int runs, Map<String, Object> parameters,
      List<Double> ordoRuns, List<Double> baselineRuns) {

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ordo", precise(ordo));
      json.put("baseline", baseline == null ? null : precise(baseline));
      json.put("ratio", baseline == null ? null : Math.round(ordo / baseline * 100) / 100.0);
      json.put("unit", unit);
      json.put("runs", runs);
      json.putAll(parameters);
      json.put("ordoRuns", ordoRuns.stream().map(Bench::precise).toList());
      if (baseline != null) {
        json.put("baselineRuns", baselineRuns.stream().map(Bench::precise).toList());
      }
      return json;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    if (Arrays.stream(StreamWatch.values()).anyMatch(watch -> settings.wants(watch.figure))) {
      StreamClients.checkOpenFiles(streamClients(settings)); // before anything runs, not after half of it
    }
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, Object> machine;
    try (BenchDatabase database = new BenchDatabase(80)) {
      machine = machine(database.version());
      if (settings.wants("append_single")) {
        results.put("append_single", appends(database, settings, 32, 1));
      }
      if (settings.wants("append_batch") || settings.wants("append_single_vs_batch")) {
        results.put("append_batch", appends(database, settings, 8, 100));
      }
      if (settings.wants("append_single_vs_batch")) {
        results.put("append_single_vs_batch", singleVersusBatch(
            results.computeIfAbsent("append_single", name -> appendsOrFail(database, settings, 32, 1)),
            results.get("append_batch")));
      }
      if (settings.wants("axon_append")) {
        results.put("axon_append", axonAppends(database, settings, 32));
      }
      if (settings.wants("command_http") || settings.wants("command_register_http") || settings.wants("query_http")
          || settings.wants("lag_p99_ms") || settings.wants(StreamWatch.FIREHOSE.figure)
          || settings.wants(StreamWatch.PRODUCT.figure)) {
        commands(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (settings.wants("order_flow_http") || settings.wants("order_reserved_p99_ms")
          || settings.wants("delivery_location_http")) {
        orders(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (settings.wants("kafka_relay") || settings.wants("kafka_lag_p99_ms")) {
        KafkaBenchmarks.run(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (SearchBenchmarks.FIGURES.stream().anyMatch(settings::wants)) {
        SearchBenchmarks.run(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (settings.wants("axon_replay") || settings.wants("rebuild")) {
        replays(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (ScalingBenchmarks.FIGURES.stream().anyMatch(settings::wants)) {
        ScalingBenchmarks.run(database, settings, results);
        write(settings, machine, results); // what is measured so far survives a later failure
      }
      if (settings.wants("import")) {
        results.put("import", imports(database, settings));
      }
    }
    if (FootprintBenchmark.FIGURES.stream().anyMatch(settings::wants)) {
      FootprintBenchmark.run(settings, results);
      write(settings, machine, results); // what is measured so far survives a later failure
    }
    if (settings.wants("fold_100_events") || settings.wants("codec")) {
      micro(settings, results);
    }
    write(settings, machine, results);
  }

  /** Ordo appends and raw inserts of the same rows, alternating, each run on emptied tables. */
  private static Result appends(BenchDatabase database, Settings settings, int writers, int batch)
      throws Exception {
    String name = batch == 1 ? "append_single" : "append_batch";
    List<Double> ordoRuns = new ArrayList<>();
    List<Double> rawRuns = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      database.reset();
      try (var raw = new AppendBenchmarks(writers, batch, "raw" + run)) {
        rawRuns.add(Load.perSecond(writers, settings.warmUp(), settings.measure(), raw.rawJdbc(database.dataSource)));
      }
      database.reset();
      try (var store = new PostgresEventStore(database.dataSource, AppendBenchmarks.TYPES);
          var ordo = new AppendBenchmarks(writers, batch, "ordo" + run)) {
        ordoRuns.add(Load.perSecond(writers, settings.warmUp(), settings.measure(), ordo.ordo(store)));
      }
      System.out.printf("%s run %d: ordo %.0f events/s, raw JDBC %.0f events/s%n", name, run + 1,
          ordoRuns.getLast(), rawRuns.getLast());
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", writers);
    parameters.put("batchSize", batch);
    parameters.put("baselineIs", batch == 1
        ? "raw JDBC, one INSERT per transaction per writer, autocommit"
        : "raw JDBC, one " + batch + "-row INSERT ... VALUES per transaction per writer");
    return new Result(median(ordoRuns), median(rawRuns), "events/s", settings.runs(), parameters, ordoRuns, rawRuns);
  }

  private static Result appendsOrFail(BenchDatabase database, Settings settings, int writers, int batch) {
    try {
      return appends(database, settings, writers, batch);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How close single-event appends come to the most this PostgreSQL takes in rows per second: Ordo's
   * single-event rate (32 writers) over its 100-event-batch rate (8 writers), both measured above in
   * the same process on the same server; each run's pair divided, the median of those.
   */
  private static Result singleVersusBatch(Result single, Result batch) {
    List<Double> ratios = new ArrayList<>();
    for (int run = 0; run < Math.min(single.ordoRuns().size(), batch.ordoRuns().size()); run++) {
      ratios.add(single.ordoRuns().get(run) / batch.ordoRuns().get(run));
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "append_single's Ordo events/s (32 writers, 1 event per append) over append_batch's "
        + "Ordo events/s (8 writers, 100 events per append), same database, same process");
    parameters.put("singlePerSecond", precise(single.ordo()));
    parameters.put("batchPerSecond", precise(batch.ordo()));
    parameters.put("baselineIs", "1.0: single events as fast as 100-event batches");
    return new Result(median(ratios), null, "fraction of the batch rate", ratios.size(), parameters, ratios,
        List.of());
  }

  /** Ordo against Axon's JDBC storage engine: single-event appends from the same writers, alternating. */
  private static Result axonAppends(BenchDatabase database, Settings settings, int writers) throws Exception {
    var axon = new AxonAppends(database.dataSource, writers);
    List<Double> ordoRuns = new ArrayList<>();
    List<Double> axonRuns = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      database.reset();
      axonRuns.add(Load.perSecond(writers, settings.warmUp(), settings.measure(), axon.append("axon" + run)));
      database.reset();
      try (var store = new PostgresEventStore(database.dataSource, AppendBenchmarks.TYPES);
          var ordo = new AppendBenchmarks(writers, 1, "ordo-vs-axon" + run)) {
        ordoRuns.add(Load.perSecond(writers, settings.warmUp(), settings.measure(), ordo.ordo(store)));
      }
      System.out.printf("axon_append run %d: ordo %.0f events/s, Axon %.0f events/s%n", run + 1, ordoRuns.getLast(),
          axonRuns.getLast());
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", writers);
    parameters.put("batchSize", 1);
    parameters.put("baselineIs", "Axon Framework 4.13 JdbcEventStorageEngine.appendEvents, PostgresEventTableFactory "
        + "schema, JacksonSerializer, HikariCP, one event and one transaction per append, same writers");
    return new Result(median(ordoRuns), median(axonRuns), "events/s", settings.runs(), parameters, ordoRuns, axonRuns);
  }

  /** Commands over HTTP from 64 client threads: stock adjustments on 1,000 products, and registrations. */
  private static void commands(BenchDatabase database, Settings settings, Map<String, Result> results)
      throws Exception {
    database.reset();
    int clients = 64;
    int products = settings.quick() ? 200 : 1_000;
    try (var commands = new CommandBenchmarks(database.jdbcUrl())) {
      commands.seed(products);
      // the server's code paths compiled before anything is measured, and nothing left to apply
      Load.latencies(clients, Duration.ZERO, settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15),
          commands::adjustStock);
      commands.settle();
      if (settings.wants("command_http")) {
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        results.put("command_http", httpRuns(settings, "command_http", clients,
            "POST /api/v1/products/{id}/stock-adjustments {delta: -1} on " + products + " products",
            commands::adjustStock, commands.lag(), p50s, p99s));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("what", "event time (the append's transaction) to the product_read commit that applies it, "
            + "for every event of the command_http runs (64 clients, closed loop: the machine saturated); the "
            + "projections run in the app as they do in production");
        parameters.put("p50Ms", round(median(p50s)));
        results.put("lag_p99_ms_saturated", new Result(median(p99s), null, "ms", p99s.size(), parameters, p99s,
            List.of()));
      }
      if (settings.wants("lag_p99_ms")) {
        results.put("lag_p99_ms", pacedLag(settings, commands, clients, products));
      }
      if (settings.wants("query_http")) {
        // the query path compiled before it is measured, as the command path was
        Load.latencies(clients, Duration.ZERO, settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15),
            commands::readProduct);
        results.put("query_http", httpRuns(settings, "query_http", clients,
            "GET /api/v1/products/{id} on " + products + " products (read database)", commands::readProduct));
      }
      if (settings.wants("command_register_http")) {
        results.put("command_register_http", httpRuns(settings, "command_register_http", clients,
            "POST /api/v1/products, every name new, one store", commands::registerProduct));
      }
      for (StreamWatch watch : StreamWatch.values()) {
        if (settings.wants(watch.figure)) {
          try {
            results.put(watch.figure, commandsWithStreams(settings, commands, clients, products, watch));
          } catch (IllegalStateException e) { // a run whose clients were not all live: reported, not measured
            System.out.println(watch.figure + " not measured: " + e.getMessage());
          }
        }
      }
    }
  }

  /** Products the orders are placed among, and the stock of each: more than any run can reserve. */
  static final int ORDER_PRODUCTS = 1_000;
  static final long ORDER_STOCK = 100_000_000;

  /** How long a run waits, after its load, for the orders it placed to stand reserved. */
  static final Duration RESERVE_PATIENCE = Duration.ofSeconds(10);

  /**
   * Offered load for order_reserved_p99_ms: orders arriving at a steady rate (open loop) that the
   * processes keep up with here, so the figure is their lag through two hops, not a queue growing
   * for as long as the run lasts (which order_flow_http's closed loop shows).
   */
  static final int PACED_ORDERS_PER_SECOND = 250;

  /**
   * Orders and deliveries over HTTP, each app on a database of its own: the ordering context with
   * the catalog beside it and both halves of the fulfilment process running, as in the app.
   */
  private static void orders(BenchDatabase database, Settings settings, Map<String, Result> results)
      throws Exception {
    int clients = 64;
    if (settings.wants("order_flow_http") || settings.wants("order_reserved_p99_ms")) {
      orderFlow(database, settings, clients, results);
    }
    if (settings.wants("delivery_location_http")) {
      results.put("delivery_location_http", deliveryLocations(database, settings, clients));
    }
  }

  /**
   * Per run, a new app on an empty database with 1,000 products: first orders at a steady
   * {@link #PACED_ORDERS_PER_SECOND} (order_reserved_p99_ms: placed to reserved, from the log),
   * then 64 closed-loop clients placing as fast as they are answered (order_flow_http: orders
   * placed per second, and what the processes made of them). No run inherits another's backlog;
   * a first app, not measured, compiles the paths.
   */
  private static void orderFlow(BenchDatabase database, Settings settings, int clients, Map<String, Result> results)
      throws Exception {
    try (var compile = new OrderBenchmarks(database.createDatabase("bench_orders_compile"))) {
      compile.seed(ORDER_PRODUCTS, ORDER_STOCK);
      Load.latencies(clients, Duration.ZERO, settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15),
          compile::placeOrder);
    }
    database.dropDatabase("bench_orders_compile");
    List<OrderBenchmarks.Window> paced = new ArrayList<>();
    List<OrderBenchmarks.Window> saturated = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      String name = "bench_orders_" + run;
      try (var orders = new OrderBenchmarks(database.createDatabase(name))) {
        orders.seed(ORDER_PRODUCTS, ORDER_STOCK);
        Load.paced(clients, PACED_ORDERS_PER_SECOND, Duration.ZERO, settings.warmUp(), orders::placeOrder);
        paced.add(orders.place(() -> Load.paced(clients, PACED_ORDERS_PER_SECOND, Duration.ZERO, settings.measure(),
            orders::placeOrder), RESERVE_PATIENCE));
        System.out.printf("order_reserved_p99_ms run %d, %d orders/s offered: %s%n", run + 1,
            PACED_ORDERS_PER_SECOND, paced.getLast());
        Load.latencies(clients, Duration.ZERO, settings.warmUp(), orders::placeOrder);
        saturated.add(orders.place(() -> Load.latencies(clients, Duration.ZERO, settings.measure(),
            orders::placeOrder), RESERVE_PATIENCE));
        System.out.printf("order_flow_http run %d: %s%n", run + 1, saturated.getLast());
      }
      database.dropDatabase(name);
      for (OrderBenchmarks.Window window : List.of(paced.getLast(), saturated.getLast())) {
        if (window.rejected() > 0) {
          throw new IllegalStateException(window.rejected() + " orders rejected; the stock is meant to be ample");
        }
      }
    }
    String request = "POST /api/v1/orders {userId, items: 1-3 of " + ORDER_PRODUCTS + " products, 1-3 of each, "
        + "shippingAddress}, each product with " + ORDER_STOCK + " in stock (nothing rejected)";
    String reserved = "an order's OrderPlaced occurred_at to its OrderReserved occurred_at (each the start of the "
        + "transaction that appended it, server clock, read from the log with SQL) through catalog-order-stock "
        + "(OrderPlaced -> ReserveStock per item -> StockReserved) and ordering-fulfilment (StockReserved -> "
        + "ConfirmReservation -> OrderReserved), over every order placed in the measured window; the load stops, "
        + "then up to " + RESERVE_PATIENCE.toSeconds() + " s are given to the rest, and an order still not "
        + "reserved counts as longer than any (the percentile it falls on is then the time from the window's start "
        + "to the end of that wait: a lower bound, everyOrderReserved false)";

    Map<String, Object> flow = new LinkedHashMap<>();
    flow.put("concurrency", clients);
    flow.put("request", request);
    flow.put("client", "HTTP/1.1 over one keep-alive socket per client thread, in the benchmark process");
    flow.put("what", "orders answered 201 per second, closed loop; each run a new app (catalog, ordering, both "
        + "halves of the fulfilment process, every read model) on an empty database; reserved*: " + reserved);
    flow.put("p50Ms", round(median(saturated.stream().map(w -> w.placing().p50Millis()).toList())));
    flow.put("p99Ms", round(median(saturated.stream().map(w -> w.placing().p99Millis()).toList())));
    flow.put("reservedPerSecond", round(median(saturated.stream().map(OrderBenchmarks.Window::reservedPerSecond)
        .toList())));
    flow.put("notReservedAtLoadEnd", saturated.stream().map(OrderBenchmarks.Window::notReservedAtEnd).toList());
    List<Double> unloaded = saturated.stream().map(OrderBenchmarks.Window::reservedPerSecondAfterLoad)
        .filter(Objects::nonNull).toList();
    flow.put("reservedPerSecondAfterLoad", unloaded.isEmpty() ? null : round(median(unloaded)));
    flow.put("reservedP50Ms", round(median(saturated.stream().map(w -> w.reserved(0.50)).toList())));
    flow.put("reservedP99Ms", round(median(saturated.stream().map(w -> w.reserved(0.99)).toList())));
    flow.put("everyOrderReserved", saturated.stream().allMatch(OrderBenchmarks.Window::complete));
    flow.put("runsDetail", saturated.stream().map(OrderBenchmarks.Window::json).toList());
    List<Double> rates = saturated.stream().map(w -> w.placing().perSecond()).toList();
    results.put("order_flow_http", new Result(median(rates), null, "orders/s", settings.runs(), flow, rates,
        List.of()));

    Map<String, Object> lag = new LinkedHashMap<>();
    lag.put("what", reserved + "; orders arriving at a steady " + PACED_ORDERS_PER_SECOND + "/s (open loop from "
        + clients + " client threads, each request sent at its scheduled time) on a new app, before "
        + "order_flow_http's load on the same app");
    lag.put("offeredPerSecond", PACED_ORDERS_PER_SECOND);
    lag.put("request", request);
    lag.put("p50Ms", round(median(paced.stream().map(w -> w.reserved(0.50)).toList())));
    lag.put("placingP99Ms", round(median(paced.stream().map(w -> w.placing().p99Millis()).toList())));
    lag.put("everyOrderReserved", paced.stream().allMatch(OrderBenchmarks.Window::complete));
    lag.put("runsDetail", paced.stream().map(OrderBenchmarks.Window::json).toList());
    List<Double> p99s = paced.stream().map(w -> w.reserved(0.99)).toList();
    results.put("order_reserved_p99_ms", new Result(median(p99s), null, "ms", settings.runs(), lag, p99s,
        List.of()));
  }

  /**
   * import: per run a new app on an empty database imports the same legacy catalog through
   * {@code POST /api/v1/imports}; then the events it wrote are written again with raw JDBC (the
   * baseline), on the same server, alternating.
   */
  private static Result imports(BenchDatabase database, Settings settings) throws Exception {
    int products = settings.quick() ? 20_000 : 100_000;
    long made = System.nanoTime();
    String legacy = ImportBenchmark.legacyCatalog(database, "bench_legacy", products);
    System.out.printf("import: a legacy catalog of %d products made in %.1f s%n", products,
        (System.nanoTime() - made) / 1e9);
    List<Double> ordoRuns = new ArrayList<>();
    List<Double> rawRuns = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    long events = 0;
    boolean matches = true;
    for (int run = 0; run < settings.runs(); run++) {
      String name = "bench_import_" + run;
      try (var bench = new ImportBenchmark(database.createDatabase(name))) {
        ImportBenchmark.Run imported = bench.importFrom(legacy);
        ordoRuns.add(imported.eventsPerSecond());
        seconds.add(imported.seconds());
        events = imported.events();
        matches &= imported.matches();
        rawRuns.add(bench.rawWrite(database.dataSource));
        System.out.printf("import run %d: %d events at %.0f events/s (%.1f s to the reconciliation, %s); raw JDBC "
            + "%.0f events/s%n", run + 1, imported.events(), imported.eventsPerSecond(), imported.seconds(),
            imported.matches() ? "matching" : "NOT matching", rawRuns.getLast());
      }
      database.dropDatabase(name);
    }
    database.dropDatabase("bench_legacy");
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("products", products);
    parameters.put("events", events);
    parameters.put("what", "events appended per second over the run's appending phases (stores, categories, "
        + "products: the source read in keyset pages of 1,000 rows with their images, tags and reviews, each row "
        + "through the catalog's shape checks and deciders, 4 pages of streams appending at once through the "
        + "store's write combining), as GET /api/v1/imports/{id} reports it; a new app (search index off) on an "
        + "empty database per run, its projections following the log meanwhile; source and log on the same server");
    parameters.put("secondsToReconciledS", round(median(seconds)));
    parameters.put("reconciliationMatches", matches);
    parameters.put("baselineIs", "the same event rows (read back from the import's log beforehand, not timed) "
        + "written with raw JDBC into a table of the log's shape, one " + ImportBenchmark.PAGE + "-row INSERT ... "
        + "SELECT FROM unnest per transaction, " + ImportBenchmark.WRITERS + " writers");
    return new Result(median(ordoRuns), median(rawRuns), "events/s", settings.runs(), parameters, ordoRuns, rawRuns);
  }

  /** Deliveries in progress that location updates go to. */
  private static int deliveries(Settings settings) {
    return settings.quick() ? 200 : 1_000;
  }

  /**
   * delivery_location_http: rider positions on deliveries in progress, beside command_http's stock
   * adjustments on the same app; alternating, the baseline first.
   */
  private static Result deliveryLocations(BenchDatabase database, Settings settings, int clients) throws Exception {
    int count = deliveries(settings);
    String name = "bench_deliveries";
    List<Double> rates = new ArrayList<>();
    List<Double> baselineRates = new ArrayList<>();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    List<Double> baselineP99s = new ArrayList<>();
    double setupSeconds;
    try (var orders = new OrderBenchmarks(database.createDatabase(name))) {
      long start = System.nanoTime();
      orders.seed(ORDER_PRODUCTS, ORDER_STOCK);
      orders.startDeliveries(count);
      setupSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("delivery_location_http: %d products and %d deliveries in progress in %.1f s%n",
          ORDER_PRODUCTS, count, setupSeconds);
      Duration compile = settings.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(8);
      Load.latencies(clients, Duration.ZERO, compile, orders::adjustStock);
      Load.latencies(clients, Duration.ZERO, compile, orders::updateLocation);
      for (int run = 0; run < settings.runs(); run++) {
        Load.Stats baseline = Load.latencies(clients, settings.warmUp(), settings.measure(), orders::adjustStock);
        Load.Stats locations = Load.latencies(clients, settings.warmUp(), settings.measure(), orders::updateLocation);
        rates.add(locations.perSecond());
        baselineRates.add(baseline.perSecond());
        p50s.add(locations.p50Millis());
        p99s.add(locations.p99Millis());
        baselineP99s.add(baseline.p99Millis());
        System.out.printf("delivery_location_http run %d: %.0f location updates/s (p50 %.1f ms, p99 %.1f ms); "
            + "stock adjustments on the same app %.0f/s (p99 %.1f ms)%n", run + 1, locations.perSecond(),
            locations.p50Millis(), locations.p99Millis(), baseline.perSecond(), baseline.p99Millis());
      }
    }
    database.dropDatabase(name);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", clients);
    parameters.put("deliveries", count);
    parameters.put("request", "POST /api/v1/deliveries/{id}/location {lat, lon} on " + count + " deliveries in "
        + "progress, each an order taken through the flow (placed, reserved, approved, paid, dispatch opened, "
        + "assigned, accepted, picked up, delivery started)");
    parameters.put("client", "HTTP/1.1 over one keep-alive socket per client thread, in the benchmark process");
    parameters.put("setupS", round(setupSeconds));
    parameters.put("p50Ms", round(median(p50s)));
    parameters.put("p99Ms", round(median(p99s)));
    parameters.put("baselineP99Ms", round(median(baselineP99s)));
    parameters.put("baselineIs", "command_http's request (POST /api/v1/products/{id}/stock-adjustments {delta: -1} "
        + "on " + ORDER_PRODUCTS + " products) on the same app, alternating with the location updates");
    return new Result(median(rates), median(baselineRates), "requests/s", settings.runs(), parameters, rates,
        baselineRates);
  }

  /** Live clients of the product stream connected during command_http_streams and command_http_streams_product. */
  static final int STREAM_CLIENTS = 1_000;

  /** What each stream client of a with-streams figure follows: the path it asks for. */
  enum StreamWatch {
    /** command_http_streams: every client follows every product event. */
    FIREHOSE("command_http_streams"),
    /**
     * command_http_streams_product: client i follows only the events of product i % products (one of
     * the products the commands adjust), as a product page would.
     */
    PRODUCT("command_http_streams_product");

    final String figure;

    StreamWatch(String figure) {
      this.figure = figure;
    }

    /** The request path of each of {@code count} clients. */
    List<String> paths(List<String> products, int count) {
      List<String> paths = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        paths.add(this == FIREHOSE ? "/api/v1/products/stream"
            : "/api/v1/products/stream?productId=" + products.get(i % products.size()));
      }
      return paths;
    }
  }

  private static int streamClients(Settings settings) {
    return settings.quick() ? 200 : STREAM_CLIENTS;
  }

  /**
   * command_http's load with {@link #STREAM_CLIENTS} clients of {@code GET /api/v1/products/stream}
   * connected for the whole run (warm-up included), beside the same load with none; alternating. Each
   * stock adjustment is an event every stream client is sent ({@link StreamWatch#FIREHOSE}), or only
   * the clients watching its product ({@link StreamWatch#PRODUCT}).
   */
  private static final Duration SEQUENTIAL_WARM_UP = Duration.ofSeconds(1);
  private static final Duration SEQUENTIAL = Duration.ofSeconds(5);

  private static Result commandsWithStreams(Settings settings, CommandBenchmarks commands, int clients,
      int products, StreamWatch watch) throws Exception {
    String name = watch.figure;
    int streamClients = streamClients(settings);
    List<String> paths = watch.paths(commands.products(), streamClients);
    List<Double> withRuns = new ArrayList<>();
    List<Double> withoutRuns = new ArrayList<>();
    List<Double> withP99s = new ArrayList<>();
    List<Double> withoutP99s = new ArrayList<>();
    long minEvents = Long.MAX_VALUE;
    long maxEvents = 0;
    List<Double> readerCpuShares = new ArrayList<>();
    List<Map<String, Long>> eventsPerClient = new ArrayList<>();
    List<Double> sequentialWith = new ArrayList<>();
    List<Double> sequentialWithout = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      dropStreamClients(name, commands);
      Load.Stats without = Load.latencies(clients, settings.warmUp(), settings.measure(), commands::adjustStock);
      // one command after the other, as a shop's back office sends them: the case that took 101 s instead of 1.3 s
      sequentialWithout.add(Load.latencies(1, SEQUENTIAL_WARM_UP, SEQUENTIAL, commands::adjustStock).perSecond());
      Load.Stats with;
      StreamClients.Received received;
      try (var streams = StreamClients.open("127.0.0.1", commands.port(), paths)) {
        awaitStreamClients(name, commands, streams, streamClients);
        with = Load.latencies(clients, settings.warmUp(), settings.measure(), commands::adjustStock);
        sequentialWith.add(Load.latencies(1, SEQUENTIAL_WARM_UP, SEQUENTIAL, commands::adjustStock).perSecond());
        received = streams.stop();
      }
      if (received.answered200() != streamClients || received.endedByServer() > 0 || received.minEvents() == 0) {
        throw new IllegalStateException(name + ": the stream clients were not all live through the run (each "
            + "must answer 200, stay open and be sent at least one event): " + received);
      }
      minEvents = Math.min(minEvents, received.minEvents());
      maxEvents = Math.max(maxEvents, received.maxEvents());
      readerCpuShares.add(received.readerCpuSeconds() / received.seconds());
      Map<String, Long> spread = new LinkedHashMap<>(); // from connecting to the end of the run
      spread.put("min", received.minEvents());
      spread.put("p10", received.p10Events());
      spread.put("median", received.medianEvents());
      spread.put("max", received.maxEvents());
      eventsPerClient.add(spread);
      withRuns.add(with.perSecond());
      withoutRuns.add(without.perSecond());
      withP99s.add(with.p99Millis());
      withoutP99s.add(without.p99Millis());
      System.out.printf("%s run %d: %.0f requests/s (p99 %.1f ms) with %d stream clients, each sent "
          + "%d to %d events (p10 %d, median %d; reading them: %.0f %% of a core); %.0f requests/s (p99 %.1f ms) "
          + "with none%n", name, run + 1, with.perSecond(), with.p99Millis(), streamClients, received.minEvents(),
          received.maxEvents(), received.p10Events(), received.medianEvents(), 100 * readerCpuShares.getLast(),
          without.perSecond(), without.p99Millis());
      System.out.printf("%s run %d: one at a time, %.0f commands/s with the stream clients, %.0f with none%n", name,
          run + 1, sequentialWith.getLast(), sequentialWithout.getLast());
    }
    dropStreamClients(name, commands);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", clients);
    parameters.put("streamClients", streamClients);
    parameters.put("request", "POST /api/v1/products/{id}/stock-adjustments {delta: -1} on " + products
        + " products, as command_http");
    parameters.put("what", watch == StreamWatch.FIREHOSE
        ? "command_http's load with " + streamClients + " clients of GET /api/v1/products/stream "
            + "(Accept: text/event-stream) connected to the same app for the whole run, warm-up included: each "
            + "command's event is sent to every one of them; ratio ~1 means live clients cost the commands nothing"
        : "command_http's load with " + streamClients + " clients of GET /api/v1/products/stream?productId={id} "
            + "(Accept: text/event-stream), client i watching product i % " + products + " (the products the "
            + "commands adjust), connected to the same app for the whole run, warm-up included: each command's "
            + "event is sent only to the clients watching its product; ratio ~1 means live clients cost the "
            + "commands nothing");
    parameters.put("streamPath", watch == StreamWatch.FIREHOSE ? "/api/v1/products/stream"
        : "/api/v1/products/stream?productId={id of product i % " + products + "}");
    parameters.put("client", "commands: HTTP/1.1 over one keep-alive socket per client thread; streams: raw "
        + "non-blocking sockets read and discarded by one thread (NIO selector; streamReaderCoreShare: the share of a "
        + "core it used while connected); all in the benchmark process");
    parameters.put("minEventsPerStreamClient", minEvents);
    parameters.put("maxEventsPerStreamClient", maxEvents);
    parameters.put("eventsPerStreamClientRuns", eventsPerClient);
    parameters.put("streamReaderCoreShare", Math.round(median(readerCpuShares) * 100) / 100.0);
    parameters.put("p99Ms", round(median(withP99s)));
    parameters.put("baselineP99Ms", round(median(withoutP99s)));
    parameters.put("sequentialPerSecond", round(median(sequentialWith)));
    parameters.put("baselineSequentialPerSecond", round(median(sequentialWithout)));
    parameters.put("sequentialIs", "one client sending one command after the other for " + SEQUENTIAL.toSeconds()
        + " s, with the stream clients connected and with none");
    parameters.put("baselineIs", "the same load on the same app with no stream client connected");
    return new Result(median(withRuns), median(withoutRuns), "requests/s", settings.runs(), parameters, withRuns,
        withoutRuns);
  }

  /**
   * Waits until the app counts every client as connected and each has had its {@code 200} (the app
   * sends the response head with a {@code : stream open} comment as a client connects, filtered or
   * not, so nothing needs to be sent to the clients first); fails otherwise.
   */
  private static void awaitStreamClients(String name, CommandBenchmarks commands, StreamClients streams, int count)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while ((commands.streamClients() < count || streams.answered() < count) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (commands.streamClients() != count || streams.answered() != count) {
      throw new IllegalStateException(("%s: %d stream clients connected, after a minute the app counts %d and %d "
          + "were answered 200 (the app is to answer each at once, with a \": stream open\" comment)")
          .formatted(name, count, commands.streamClients(), streams.answered()));
    }
  }

  /**
   * Waits until the app has let go of every stream client closed by a previous run: it finds a client
   * gone when sending to it fails, so each wait sends a change of every product (a client watching one
   * product is only sent that product's changes).
   */
  private static void dropStreamClients(String name, CommandBenchmarks commands) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (commands.streamClients() > 0 && System.nanoTime() < deadline) {
      for (String product : commands.products()) {
        commands.adjustStock(product);
      }
      Thread.sleep(20);
    }
    if (commands.streamClients() > 0) {
      throw new IllegalStateException(name + ": the app still counts " + commands.streamClients()
          + " stream clients a minute after they closed; the baseline must have none");
    }
  }

  /**
   * 1,000,000 events (100,000 with --quick) in Ordo's log and in Axon's: replayed by each to a no-op
   * handler, and product_read rebuilt beside a raw batched upsert of its rows. Runs alternate.
   */
  private static void replays(BenchDatabase database, Settings settings, Map<String, Result> results)
      throws Exception {
    database.reset();
    int products = settings.quick() ? 1_000 : 10_000;
    int runs = Math.min(settings.runs(), 3);
    try (var replay = new ReplayBenchmarks(database, products)) {
      replay.seedOrdo();
      System.out.printf("seeded %d events into Ordo's log%n", replay.events());
      if (settings.wants("axon_replay")) {
        replay.seedAxon();
        System.out.println("seeded the same into Axon's");
        List<Double> ordoRuns = new ArrayList<>();
        List<Double> axonRuns = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          axonRuns.add(replay.axonReplay());
          ordoRuns.add(replay.ordoReplay());
          System.out.printf("axon_replay run %d: ordo %.0f events/s, Axon %.0f events/s%n", run + 1,
              ordoRuns.getLast(), axonRuns.getLast());
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("events", replay.events());
        parameters.put("batchSize", ReplayBenchmarks.READ_BATCH);
        parameters.put("what", "from the start of the log to the last event, each event handed to a handler that "
            + "only counts; Ordo: the log tailer (gap-free tx-id order); the time includes the reads from PostgreSQL");
        parameters.put("baselineIs", "Axon 4.13 TrackingEventProcessor (single thread, batch size 1,000, in-memory "
            + "token store) on an EmbeddedEventStore over JdbcEventStorageEngine (batchSize 1,000, "
            + "PostgresEventTableFactory, JacksonSerializer) holding the same number of events");
        results.put("axon_replay", new Result(median(ordoRuns), median(axonRuns), "events/s", runs, parameters,
            ordoRuns, axonRuns));
      }
      if (settings.wants("rebuild")) {
        List<Double> ordoRuns = new ArrayList<>();
        List<Double> rawRuns = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          rawRuns.add(replay.rawUpsert(run));
          ordoRuns.add(replay.ordoRebuild(run));
          System.out.printf("rebuild run %d: ordo %.0f events/s, raw JDBC upsert %.0f events/s%n", run + 1,
              ordoRuns.getLast(), rawRuns.getLast());
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("events", replay.events());
        parameters.put("products", products);
        parameters.put("batchSize", 500);
        parameters.put("what", "product_read built from position 0 into an empty read database until it reaches the "
            + "head: read the log, decode, apply (JDBC-batched statements), checkpoint per batch, asynchronous commit");
        parameters.put("baselineIs", "raw JDBC into a table of product_read's shape and indexes: the same row "
            + "changes (one insert per product, one update per stock event) as batches of 500 per transaction, "
            + "asynchronous commit, no log reading");
        results.put("rebuild", new Result(median(ordoRuns), median(rawRuns), "events/s", runs, parameters, ordoRuns,
            rawRuns));
      }
    }
  }

  /** Offered load for the lag figure: half the 5,000/s command target, open loop, whatever the machine could do. */
  static final int PACED_COMMANDS_PER_SECOND = 2_500;

  /** Command-to-visible lag while commands arrive at a steady rate the machine can serve. */
  private static Result pacedLag(Settings settings, CommandBenchmarks commands, int clients, int products)
      throws Exception {
    ConsumerRunner.LagRecorder lag = commands.lag();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    List<Double> commandP99s = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      lag.reset();
      Load.Stats stats = Load.paced(clients, PACED_COMMANDS_PER_SECOND, settings.warmUp(), settings.measure(),
          commands::adjustStock);
      p50s.add((double) lag.percentile(50));
      p99s.add((double) lag.percentile(99));
      commandP99s.add(stats.p99Millis());
      System.out.printf("lag_p99_ms run %d: %.0f commands/s offered, command p99 %.1f ms; command-to-visible "
          + "p50 %d ms, p99 %d ms%n", run + 1, stats.perSecond(), stats.p99Millis(), lag.percentile(50),
          lag.percentile(99));
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "event time (the append's transaction) to the product_read commit that applies it, "
        + "while stock adjustments on " + products + " products arrive at a steady " + PACED_COMMANDS_PER_SECOND
        + "/s (open loop from " + clients + " client threads, each request sent at its scheduled time); both "
        + "catalog projections run in the app as in production");
    parameters.put("offeredPerSecond", PACED_COMMANDS_PER_SECOND);
    parameters.put("p50Ms", round(median(p50s)));
    parameters.put("commandP99Ms", round(median(commandP99s)));
    return new Result(median(p99s), null, "ms", p99s.size(), parameters, p99s, List.of());
  }

  private static Result httpRuns(Settings settings, String name, int clients, String what, Load.Request request)
      throws Exception {
    return httpRuns(settings, name, clients, what, request, null, null, null);
  }

  /** With a lag recorder: the projection's lag percentiles of each run go to lagP50s and lagP99s. */
  private static Result httpRuns(Settings settings, String name, int clients, String what, Load.Request request,
      ConsumerRunner.LagRecorder lag, List<Double> lagP50s, List<Double> lagP99s) throws Exception {
    List<Double> rates = new ArrayList<>();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      if (lag != null) {
        lag.reset();
      }
      Load.Stats stats = Load.latencies(clients, settings.warmUp(), settings.measure(), request);
      if (lag != null) {
        lagP50s.add((double) lag.percentile(50));
        lagP99s.add((double) lag.percentile(99));
        System.out.printf("%s run %d: command-to-visible p50 %d ms, p99 %d ms%n", name, run + 1, lag.percentile(50),
            lag.percentile(99));
      }
      rates.add(stats.perSecond());
      p50s.add(stats.p50Millis());
      p99s.add(stats.p99Millis());
      System.out.printf("%s run %d: %.0f requests/s, p50 %.1f ms, p99 %.1f ms%n", name, run + 1, stats.perSecond(),
          stats.p50Millis(), stats.p99Millis());
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("concurrency", clients);
    parameters.put("request", what);
    parameters.put("client", "HTTP/1.1 over one keep-alive socket per client thread, in the benchmark process");
    parameters.put("p50Ms", round(median(p50s)));
    parameters.put("p99Ms", round(median(p99s)));
    return new Result(median(rates), null, "requests/s", settings.runs(), parameters, rates, List.of());
  }

  /**
   * JMH in this process (forks 0: the benchmark jar is not a plain class path a fork could use):
   * the fold, and the codec beside plain Jackson on the same JSON.
   */
  private static void micro(Settings settings, Map<String, Result> results) throws Exception {
    var options = new org.openjdk.jmh.runner.options.OptionsBuilder()
        .include(FoldBenchmark.class.getName())
        .include(CodecBenchmark.class.getName())
        .forks(0)
        .warmupIterations(settings.quick() ? 1 : 3)
        .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(settings.quick() ? 1 : 2))
        .measurementIterations(settings.quick() ? 2 : 5)
        .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(settings.quick() ? 1 : 2))
        .build();
    int iterations = options.getMeasurementIterations().orElse(5);
    Map<String, org.openjdk.jmh.results.Result<?>> scores = new LinkedHashMap<>();
    for (var run : new org.openjdk.jmh.runner.Runner(options).run()) {
      String method = run.getParams().getBenchmark();
      scores.put(method.substring(method.lastIndexOf('.') + 1), run.getPrimaryResult());
    }
    if (settings.wants("fold_100_events")) {
      results.put("fold_100_events", jmh(scores.get("decodeAndFold100Events"), null, iterations,
          "microseconds per load (JMH average time)",
          "decode (with one upcast) and fold a 100-event product stream, rows already read", null));
    }
    if (settings.wants("codec")) {
      results.put("codec_encode", jmh(scores.get("encode"), scores.get("encodeJacksonOnly"), iterations,
          "ns per event (JMH average time; ratio: lower is better)",
          "EventCodec.encode of a ProductRegistered: type binding, UUIDv7 event id, JSON",
          "Jackson writeValueAsString of the same record"));
      results.put("codec_decode", jmh(scores.get("decode"), scores.get("decodeJacksonOnly"), iterations,
          "ns per event (JMH average time; ratio: lower is better)",
          "EventCodec.decode of a current (v2) ProductRegistered row", "Jackson readValue of the same JSON"));
      results.put("codec_upcast", jmh(scores.get("decodeUpcastingV1"), scores.get("decode"), iterations,
          "ns per event (JMH average time; ratio: lower is better)",
          "EventCodec.decode of a v1 ProductRegistered row: upcast to v2 (images from the thumbnail), then decode",
          "EventCodec.decode of the v2 row, no upcast"));
    }
  }

  private static Result jmh(org.openjdk.jmh.results.Result<?> ordo, org.openjdk.jmh.results.Result<?> baseline,
      int iterations, String unit, String what, String baselineIs) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", what);
    parameters.put("error", round(ordo.getScoreError()));
    if (baselineIs != null) {
      parameters.put("baselineIs", baselineIs);
    }
    return new Result(ordo.getScore(), baseline == null ? null : baseline.getScore(), unit, iterations, parameters,
        List.of(ordo.getScore()), baseline == null ? List.of() : List.of(baseline.getScore()));
  }

  private static Map<String, Object> machine(String postgresVersion) throws IOException {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("date", Instant.now().toString());
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown"));
    machine.put("memoryGiB", Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal")).findFirst()
        .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse(0L));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
    machine.put("postgres", "embedded " + postgresVersion + ", fsync on, synchronous_commit on, same server for both sides");
    return machine;
  }

  private static void write(Settings settings, Map<String, Object> machine, Map<String, Result> results)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("mode", settings.quick() ? "quick" : "full");
    json.put("results", results.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> e.getValue().json(), (a, b) -> a, LinkedHashMap::new)));
    String text = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(json);
    Files.createDirectories(settings.out().toAbsolutePath().getParent());
    Files.writeString(settings.out(), text + "\n");
    System.out.println(text);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** A figure below 10 (a share, as Precision@10) to three decimals, any other as {@link #round}. */
  static double precise(double value) {
    return Math.abs(value) < 10 ? Math.round(value * 1000) / 1000.0 : round(value);
  }
}
