package dev.ordo.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import dev.ordo.catalog.product.ProductStream;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.query.ReadModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import dev.ordo.spring.security.Tokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Commands over real HTTP: the app serving on a loopback port, load from a pool of client threads,
 * each with a keep-alive connection of its own ({@link HttpLoadClient}). Latencies are recorded per
 * request, warm-up excluded. Seeding uses the JDK's HTTP client.
 */
final class CommandBenchmarks implements AutoCloseable {

  private final ConfigurableApplicationContext app;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String base;
  private final ThreadLocal<HttpLoadClient> clients;
  private final List<String> products = new ArrayList<>();
  private final AtomicLong names = new AtomicLong();
  private String store;
  private String category;

  /** The apps' search indexes: each log's in a directory of its own below, none in the working directory. */
  static final String SEARCH_DIR = System.getProperty("java.io.tmpdir") + "/ordo-bench-search";

  CommandBenchmarks(String jdbcUrl, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0", "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
        "--spring.datasource.hikari.maximum-pool-size=32", "--logging.level.root=WARN",
        "--server.tomcat.threads.max=128", "--spring.main.banner-mode=off", "--ordo.search.dir=" + SEARCH_DIR,
        "--ordo.security.key-file=" + SEARCH_DIR + "/signing-key.jwk"));
    args.addAll(List.of(more));
    app = new SpringApplicationBuilder(BenchApplication.class).run(args.toArray(String[]::new));
    port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    base = "http://127.0.0.1:" + port;
    token = token(app);
    clients = ThreadLocal.withInitial(() -> new HttpLoadClient("127.0.0.1", port, token));
  }

  /** A store, a category and {@code count} products with plenty of stock. */
  void seed(int count) throws Exception {
    store = id(post("/api/v1/stores", "{\"name\":\"Bench Mart\"}"));
    category = id(post("/api/v1/categories", "{\"name\":\"Bench\"}"));
    for (int i = 0; i < count; i++) {
      products.add(id(post("/api/v1/products", productBody("Seed " + i))));
    }
  }

  private String productBody(String name) {
    return "{\"storeId\":\"" + store + "\",\"categoryId\":\"" + category + "\",\"name\":\"" + name
        + "\",\"price\":10000,\"stockQuantity\":100000000}";
  }

  /** How long the consumers may take to reach the head of the log before a load is measured. */
  static final Duration CATCH_UP = Duration.ofMinutes(2);

  /**
   * Waits until every read model, process and search index of the app has applied the head of the
   * log as it stands now: what a load measures afterwards is the load, not the consumers still
   * working off the seed or an earlier load.
   */
  void settle() throws InterruptedException {
    long head = app.getBean(PostgresEventStore.class).head();
    long start = System.nanoTime();
    long deadline = start + CATCH_UP.toNanos();
    if (!app.getBean(ReadModels.class).awaitApplied(head, CATCH_UP)) {
      throw new IllegalStateException("the read models did not reach position " + head + " in " + CATCH_UP);
    }
    Processes processes = app.getBean(Processes.class);
    while (processes.statuses().stream().mapToLong(ProcessStatus::position).anyMatch(at -> at < head)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the processes did not reach position " + head + " in " + CATCH_UP + ": "
            + processes.statuses());
      }
      Thread.sleep(10);
    }
    System.out.printf("consumers at the head of the log (position %d) after %d ms%n", head,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The ids of the seeded products, in the order they were registered: the ones the commands adjust. */
  List<String> products() {
    return List.copyOf(products);
  }

  /** Products another instance on the same database seeded: what {@link #readProduct} reads here too. */
  void adopt(List<String> seeded) {
    products.addAll(seeded);
  }

  /** One stock adjustment of -1 on a random product; returns its latency in microseconds. */
  long adjustStock() throws Exception {
    return adjustStock(products.get(ThreadLocalRandom.current().nextInt(products.size())));
  }

  /** One stock adjustment of -1 on the given product; returns its latency in microseconds. */
  long adjustStock(String product) throws Exception {
    return timed("/api/v1/products/" + product + "/stock-adjustments", "{\"delta\":-1,\"reason\":\"ORDER\"}", 200);
  }

  /** One product registration with a name never used before; returns its latency in microseconds. */
  long registerProduct() throws Exception {
    return timed("/api/v1/products", productBody("Load " + names.incrementAndGet()), 201);
  }

  /** One product detail by id, from the read database; returns its latency in microseconds. */
  long readProduct() throws Exception {
    String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
    HttpLoadClient client = clients.get();
    long start = System.nanoTime();
    HttpLoadClient.Response response = client.get("/api/v1/products/" + product);
    long micros = (System.nanoTime() - start) / 1_000;
    if (response.status() != 200) {
      throw new IllegalStateException("GET answered " + response.status() + ": " + response.body());
    }
    return micros;
  }

  /** The loopback port the app serves on. */
  int port() {
    return port;
  }

  /** Clients of the app's live product stream connected now, as the app counts them. */
  int streamClients() {
    return app.getBean(ProductStream.class).clients();
  }

  /** The product_read projection's recent command-to-visible lags. */
  <T> T bean(Class<T> type) {
    return app.getBean(type);
  }

  ConsumerRunner.LagRecorder lag() {
    return app.getBean(ReadModels.class).host("product_read").orElseThrow().activeRunner().orElseThrow().lag();
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

  /** An admin's token of the app's local key: every command of the benchmarks is authenticated. */
  static String token(ConfigurableApplicationContext app) {
    return app.getBean(Tokens.class).mint("bench", List.of("admin"), List.of(), Duration.ofHours(12));
  }

  /** The bearer token the benchmark's commands carry. */
  String token() {
    return token;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String id(HttpResponse<String> response) {
    if (response.statusCode() != 201) {
      throw new IllegalStateException("seeding failed: " + response.statusCode() + " " + response.body());
    }
    String body = response.body();
    int start = body.indexOf("\"id\":\"") + 6;
    return body.substring(start, body.indexOf('"', start));
  }

  @Override
  public void close() {
    app.close();
  }
}
