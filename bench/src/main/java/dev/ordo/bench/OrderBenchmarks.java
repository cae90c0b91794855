package dev.ordo.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.OrderingConfiguration;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ordering context over real HTTP, with the catalog beside it and both halves of the
 * fulfilment process running in the app, as {@code OrdoApplication} runs them: orders placed,
 * reserved by the catalog (OrderPlaced → ReserveStock → StockReserved) and confirmed by ordering
 * (StockReserved → ConfirmReservation → OrderReserved); deliveries driven through the whole flow.
 * Where an order stands is read from the log with SQL (no read model of orders yet): each event's
 * {@code occurred_at} is the start of the transaction that appended it, on the server's clock.
 */
final class OrderBenchmarks implements AutoCloseable {

  /** The two processes an order passes through before it stands reserved. */
  static final List<String> PROCESSES = List.of("catalog-order-stock", "ordering-fulfilment");

  private static final String ADDRESS = """
      "shippingAddress":{"recipient":"김철수","phone":"010-1234-5678","address":"서울시 강남구 테헤란로 1",\
      "zipCode":"06236","express":false}""";

  /** Orders not yet reserved or rejected: each order has one OrderPlaced and at most one of the others. */
  private static final String PENDING = """
      SELECT count(*) FILTER (WHERE event_type = 'OrderPlaced')
             - count(*) FILTER (WHERE event_type IN ('OrderReserved', 'OrderRejected')),
             count(*) FILTER (WHERE event_type = 'OrderRejected')
        FROM events
       WHERE event_type IN ('OrderPlaced', 'OrderReserved', 'OrderRejected')
      """;

  private static final String COUNT_TYPE = "SELECT count(*) FROM events WHERE event_type = ?";

  /** Orders reserved in a window of the server's clock: the process's pace. */
  private static final String RESERVED_BETWEEN = """
      SELECT count(*) FROM events WHERE event_type = 'OrderReserved' AND occurred_at >= ? AND occurred_at < ?
      """;

  /** Each order placed in a window, and from its OrderPlaced to its OrderReserved when it has one. */
  private static final String PLACED_TO_RESERVED = """
      SELECT extract(epoch FROM r.occurred_at - p.occurred_at) * 1000
        FROM events p
        LEFT JOIN events r ON r.stream_id = p.stream_id AND r.event_type = 'OrderReserved'
       WHERE p.event_type = 'OrderPlaced' AND p.occurred_at >= ? AND p.occurred_at < ?
      """;

  private final ConfigurableApplicationContext app;
  /** The bench's own connections to the app's database, for reading the log: none taken from the app's pool. */
  private final HikariDataSource log;
  private final int port;
  private final ThreadLocal<HttpLoadClient> clients;
  private final List<String> products = new ArrayList<>();
  private final List<String> deliveries = new ArrayList<>();
  private final AtomicLong users = new AtomicLong();
  private long lastPosition;

  OrderBenchmarks(String jdbcUrl) {
    app = new SpringApplicationBuilder(BenchApplication.class, OrderingConfiguration.class).run(
        "--server.port=0", "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
        "--spring.datasource.hikari.maximum-pool-size=32", "--logging.level.root=WARN",
        "--server.tomcat.threads.max=128", "--spring.main.banner-mode=off",
        "--ordo.search.dir=" + CommandBenchmarks.SEARCH_DIR,
        "--ordo.security.key-file=" + CommandBenchmarks.SEARCH_DIR + "/signing-key.jwk");
    port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    var config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername("postgres");
    config.setMaximumPoolSize(2);
    config.setPoolName("bench-log");
    try {
      log = new HikariDataSource(config);
    } catch (RuntimeException e) {
      app.close(); // its server threads would keep the benchmark alive
      throw e;
    }
    String token = CommandBenchmarks.token(app);
    clients = ThreadLocal.withInitial(() -> new HttpLoadClient("127.0.0.1", port, token));
  }

  /**
   * A store, a category and {@code count} products with {@code stock} each, registered from 16
   * client threads; returns once ordering's view of the catalog has them all (orders are priced
   * from it).
   */
  void seed(int count, long stock) throws Exception {
    String store = created(post("/api/v1/stores", "{\"name\":\"Bench Mart\"}"));
    String category = created(post("/api/v1/categories", "{\"name\":\"Bench\"}"));
    String[] ids = new String[count];
    parallel(16, count, i -> ids[i] = created(post("/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Seed %d","price":10000,"stockQuantity":%d}"""
        .formatted(store, category, i, stock))));
    products.addAll(Arrays.asList(ids));
    awaitProjections();
  }

  /** Every read model has applied every event appended through this class so far. */
  private void awaitProjections() throws InterruptedException {
    if (!app.getBean(ReadModels.class).awaitApplied(lastPosition, Duration.ofSeconds(60))) {
      throw new IllegalStateException("the read models did not catch up with position " + lastPosition
          + " in a minute");
    }
  }

  /** One order of 1 to 3 different products, 1 to 3 of each; returns its latency in microseconds. */
  long placeOrder() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int items = 1 + random.nextInt(3);
    var chosen = new StringBuilder();
    int first = random.nextInt(products.size());
    int step = 1 + random.nextInt((products.size() - 1) / 2); // 2 × step < products: no product named twice
    for (int i = 0; i < items; i++) {
      chosen.append(i == 0 ? "" : ",").append("{\"productId\":\"")
          .append(products.get((first + i * step) % products.size())).append("\",\"quantity\":")
          .append(1 + random.nextInt(3)).append('}');
    }
    return timed("/api/v1/orders", orderBody(chosen.toString()), 201);
  }

  private String orderBody(String items) {
    return "{\"userId\":\"user-" + users.incrementAndGet() + "\",\"items\":[" + items + "]," + ADDRESS + "}";
  }

  /** One stock adjustment of -1 on a random product, as command_http; returns its latency in microseconds. */
  long adjustStock() throws Exception {
    String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
    return timed("/api/v1/products/" + product + "/stock-adjustments", "{\"delta\":-1,\"reason\":\"ORDER\"}", 200);
  }

  /** One rider position on a random delivery in progress; returns its latency in microseconds. */
  long updateLocation() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String delivery = deliveries.get(random.nextInt(deliveries.size()));
    return timed("/api/v1/deliveries/" + delivery + "/location", "{\"lat\":" + (37.4 + random.nextDouble(0.3))
        + ",\"lon\":" + (126.8 + random.nextDouble(0.4)) + "}", 200);
  }

  /**
   * {@code count} deliveries in progress, each an order taken through the flow from 16 client
   * threads, phase by phase: placed (one item), reserved, approved, paid, its dispatch opened by the
   * process, a rider assigned, accepted, picked up, its delivery started by the process.
   */
  void startDeliveries(int count) throws Exception {
    String[] orders = new String[count];
    parallel(16, count, i -> orders[i] = created(post("/api/v1/orders", orderBody(
        "{\"productId\":\"" + products.get(i % products.size()) + "\",\"quantity\":1}"))));
    awaitEvents("OrderReserved", count);
    parallel(16, count, i -> {
      ok(post("/api/v1/orders/" + orders[i] + "/approve", "{}"));
      ok(post("/api/v1/orders/" + orders[i] + "/pay", "{\"method\":\"CARD\"}"));
    });
    awaitEvents("DispatchOpened", count);
    parallel(16, count, i -> {
      String dispatch = Ids.dispatch(orders[i]);
      ok(post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-" + i + "\"}"));
      ok(post("/api/v1/dispatches/" + dispatch + "/accept", "{}"));
      ok(post("/api/v1/dispatches/" + dispatch + "/pickup", "{}"));
    });
    awaitEvents("DeliveryStarted", count);
    for (String order : orders) {
      deliveries.add(Ids.delivery(order));
    }
  }

  /** Waits up to a minute for the log to hold {@code count} events of a type (this app's database is its own). */
  private void awaitEvents(String type, long count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long seen;
    while ((seen = countEvents(type)) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("after a minute the log holds " + seen + " " + type + " of " + count
            + "; processes: " + processes());
      }
      Thread.sleep(100);
    }
  }

  private long countEvents(String type) throws SQLException {
    try (Connection connection = log.getConnection();
        PreparedStatement select = connection.prepareStatement(COUNT_TYPE)) {
      select.setString(1, type);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The server's clock: the one {@code occurred_at} is read from. */
  private OffsetDateTime serverTime() throws SQLException {
    try (Connection connection = log.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT clock_timestamp()");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class);
    }
  }

  /** A load of order placements, measured by its own clock. */
  @FunctionalInterface
  interface Placing {
    Load.Stats run() throws Exception;
  }

  /**
   * What the orders placed while a load ran came to: how the placing went, where the processes
   * stood when the load stopped, and, after waiting up to {@code patience} for the rest, how long
   * each order took to stand reserved.
   */
  Window place(Placing load, Duration patience) throws Exception {
    OffsetDateTime from = serverTime();
    Load.Stats placing = load.run();
    OffsetDateTime to = serverTime();
    Pending atEnd = pending();
    Map<String, Map<String, Long>> backlog = processes();
    double seconds = Duration.between(from, to).toNanos() / 1e9;
    double reservedPerSecond = reservedBetween(from, to) / seconds;
    long waitStart = System.nanoTime();
    long deadline = waitStart + patience.toNanos();
    while (pending().orders() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double waited = (System.nanoTime() - waitStart) / 1e9;
    Pending after = pending();
    return new Window(placing, seconds, atEnd.orders(), backlog, reservedPerSecond, waited, after.orders(),
        after.rejected(), placedToReserved(from, to));
  }

  /**
   * @param notReservedAtEnd   orders placed (in the window or before) not yet reserved when the load stopped
   * @param backlogAtEnd       each process's lag when the load stopped
   * @param reservedPerSecond  orders that stood reserved per second during the window: the processes' pace
   * @param waitedSeconds      how long after the load the rest was waited for
   * @param notReservedAfter   orders still not reserved when the wait ended
   */
  record Window(Load.Stats placing, double seconds, long notReservedAtEnd, Map<String, Map<String, Long>> backlogAtEnd,
      double reservedPerSecond, double waitedSeconds, long notReservedAfter, long rejected,
      Reservations reservations) {

    /**
     * Orders that stood reserved per second while the wait lasted, when a backlog was left at its end
     * (the processes busy throughout): their pace with no load; null when they caught up.
     */
    Double reservedPerSecondAfterLoad() {
      return notReservedAfter == 0 ? null : (notReservedAtEnd - notReservedAfter) / waitedSeconds;
    }

    /** Every order placed in the window stood reserved by the end of the wait. */
    boolean complete() {
      return reservations.reserved() == reservations.placed();
    }

    /**
     * Placed to reserved, in milliseconds, over every order placed in the window; where the
     * percentile falls on an order never reserved, the time from the window's start to the wait's
     * end, which it took longer than (a lower bound).
     */
    double reserved(double p) {
      Double value = reservations.percentile(p);
      return value != null ? value : (seconds + waitedSeconds) * 1000;
    }

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("placedPerSecond", Bench.round(placing.perSecond()));
      json.put("placingP99Ms", Bench.round(placing.p99Millis()));
      json.put("ordersPlacedInWindow", reservations.placed());
      json.put("reservedPerSecondInWindow", Bench.round(reservedPerSecond));
      json.put("notReservedAtLoadEnd", notReservedAtEnd);
      json.put("processBacklogAtLoadEnd", backlogAtEnd);
      json.put("waitedAfterLoadS", Bench.round(waitedSeconds));
      json.put("notReservedAfterWait", notReservedAfter);
      json.put("reservedPerSecondAfterLoad",
          reservedPerSecondAfterLoad() == null ? null : Bench.round(reservedPerSecondAfterLoad()));
      json.put("rejected", rejected);
      json.put("reservedP50Ms", Bench.round(reserved(0.50)));
      json.put("reservedP99Ms", Bench.round(reserved(0.99)));
      json.put("everyOrderReserved", complete());
      return json;
    }

    @Override
    public String toString() {
      String bound = complete() ? "" : " (orders never reserved: lower bounds)";
      return ("%.0f orders placed/s (p50 %.1f ms, p99 %.1f ms), reserved %.0f/s meanwhile; at the load's end %d "
          + "not reserved, backlog %s; %.1f s later %d not reserved%s, %d rejected; placed to reserved p50 %.0f ms, "
          + "p99 %.0f ms over %d orders%s").formatted(placing.perSecond(), placing.p50Millis(), placing.p99Millis(),
          reservedPerSecond, notReservedAtEnd, backlogAtEnd, waitedSeconds, notReservedAfter,
          reservedPerSecondAfterLoad() == null ? "" : " (%.0f reserved/s with no load)"
              .formatted(reservedPerSecondAfterLoad()), rejected,
          reserved(0.50), reserved(0.99), reservations.placed(), bound);
    }
  }

  /** Orders placed but neither reserved nor rejected yet, and orders rejected so far. */
  record Pending(long orders, long rejected) {}

  Pending pending() throws SQLException {
    try (Connection connection = log.getConnection();
        PreparedStatement select = connection.prepareStatement(PENDING);
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return new Pending(rs.getLong(1), rs.getLong(2));
    }
  }

  private long reservedBetween(OffsetDateTime from, OffsetDateTime to) throws SQLException {
    try (Connection connection = log.getConnection();
        PreparedStatement select = connection.prepareStatement(RESERVED_BETWEEN)) {
      select.setObject(1, from);
      select.setObject(2, to);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The orders placed in a window: how many, and for those reserved the time in milliseconds
   * from their OrderPlaced to their OrderReserved, sorted.
   */
  record Reservations(int placed, double[] millis) {

    int reserved() {
      return millis.length;
    }

    /** The percentile over every order placed, one not reserved counting as longer than any; null if it is one. */
    Double percentile(double p) {
      int rank = Math.max(0, (int) Math.ceil(p * placed) - 1);
      return rank < millis.length ? millis[rank] : null;
    }
  }

  private Reservations placedToReserved(OffsetDateTime from, OffsetDateTime to) throws SQLException {
    try (Connection connection = log.getConnection();
        PreparedStatement select = connection.prepareStatement(PLACED_TO_RESERVED)) {
      select.setObject(1, from);
      select.setObject(2, to);
      int placed = 0;
      double[] millis = new double[1024];
      int reserved = 0;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          placed++;
          double value = rs.getDouble(1);
          if (!rs.wasNull()) {
            if (reserved == millis.length) {
              millis = Arrays.copyOf(millis, reserved * 2);
            }
            millis[reserved++] = value;
          }
        }
      }
      millis = Arrays.copyOf(millis, reserved);
      Arrays.sort(millis);
      return new Reservations(placed, millis);
    }
  }

  /** Where each of the order's processes stands: events behind the head and the age of the oldest. */
  Map<String, Map<String, Long>> processes() {
    Processes processes = app.getBean(Processes.class);
    Map<String, Map<String, Long>> backlog = new LinkedHashMap<>();
    for (String name : PROCESSES) {
      ProcessStatus status = processes.status(name).orElseThrow();
      Map<String, Long> at = new LinkedHashMap<>();
      at.put("lagEvents", status.lagEvents());
      at.put("lagMs", status.lagMillis());
      at.put("deadLetters", status.deadLetters());
      backlog.put(name, at);
    }
    return backlog;
  }

  private long timed(String path, String body, int expected) throws Exception {
    HttpLoadClient client = clients.get();
    long start = System.nanoTime();
    HttpLoadClient.Response response = client.post(path, body);
    long micros = (System.nanoTime() - start) / 1_000;
    if (response.status() != expected) {
      throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
    }
    return micros;
  }

  private HttpLoadClient.Response post(String path, String body) throws Exception {
    return clients.get().post(path, body);
  }

  private static void ok(HttpLoadClient.Response response) {
    if (response.status() != 200) {
      throw new IllegalStateException("setup failed: " + response.status() + " " + response.body());
    }
  }

  /** The id of what a 201 created; remembers the highest log position answered. */
  private String created(HttpLoadClient.Response response) {
    if (response.status() != 201) {
      throw new IllegalStateException("setup failed: " + response.status() + " " + response.body());
    }
    String body = response.body();
    int at = body.indexOf("\"position\":") + 11;
    long position = Long.parseLong(body.substring(at, indexOfAny(body, at, ",}")).strip());
    synchronized (this) {
      lastPosition = Math.max(lastPosition, position);
    }
    int start = body.indexOf("\"id\":\"") + 6;
    return body.substring(start, body.indexOf('"', start));
  }

  private static int indexOfAny(String text, int from, String characters) {
    for (int i = from; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }

  /** Tasks 0 … count-1 shared by {@code threads} threads (each with its own connection); the first failure is thrown. */
  private void parallel(int threads, int count, ThrowingIntConsumer task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().name("setup-" + t).start(() -> {
        for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
          try {
            task.accept(i);
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
        }
        clients.get().close();
      }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  @FunctionalInterface
  private interface ThrowingIntConsumer {
    void accept(int i) throws Exception;
  }

  @Override
  public void close() {
    log.close();
    app.close();
  }
}
