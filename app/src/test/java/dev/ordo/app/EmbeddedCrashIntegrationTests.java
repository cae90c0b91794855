package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import dev.ordo.spring.security.LocalSigningKey;
import dev.ordo.spring.security.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ARCHITECTURE.md decision 12, on one data directory under concurrent commands: the app's JVM
 * killed (its PostgreSQL left running, or killed with it as in a power loss) and started again,
 * then PostgreSQL killed under the running app. Every acknowledged command stays in the log, the
 * read model equals the fold of the log, and one server runs on the data directory, none after.
 */
class EmbeddedCrashIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PRODUCTS = 3;

  @TempDir
  Path dataDir;
  private String token;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Queue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
  private final List<String> products = new ArrayList<>();
  private Process app;
  private int port;
  private int starts;

  record Ack(String streamId, long version, long position) {}

  record Answer(int status, HttpResponse<String> response, Duration took) {}

  @AfterEach
  void killWhatIsLeft() throws Exception {
    if (app != null) {
      app.destroyForcibly().waitFor();
    }
    servers().forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void acknowledgedCommandsSurviveKillsOfTheAppAndOfItsDatabase() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    startApp();
    String store = created(send("POST", "/api/v1/stores", "{\"name\":\"Crash Mart\"}"));
    String category = created(send("POST", "/api/v1/categories", "{\"name\":\"Crash\"}"));
    for (int i = 0; i < PRODUCTS; i++) {
      products.add(created(send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"p%d","price":1000,"stockQuantity":0}""".formatted(store, category, i))));
    }

    for (int round = 1; round <= 3; round++) {
      try (var load = new Load(round)) {
        load.awaitAcknowledged(20);
        long postmaster = postmasterPid();
        app.destroyForcibly();
        if (round == 2) { // a power loss: the database dies with the app
          ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      app.waitFor();
      startApp();
      assertThat(servers()).as("servers on the data directory after round " + round).hasSize(1);
    }

    try (var load = new Load(4)) {
      load.awaitAcknowledged(20);
      assertThat(setting("fsync")).as("zonky passes -F").isEqualTo("on");
      long killed = postmasterPid();
      ProcessHandle.of(killed).orElseThrow().destroyForcibly();
      long began = System.nanoTime();
      boolean back = false;
      int unavailable = 0;
      while (!back && System.nanoTime() - began < Duration.ofSeconds(20).toNanos()) {
        for (Answer answer : List.of(send("GET", "/api/v1/streams/" + products.getFirst(), null),
            send("POST", "/api/v1/stores", "{\"name\":\"probe " + System.nanoTime() + "\"}"),
            send("GET", "/actuator/health", null))) {
          assertThat(answer.took()).as("answered within 2 s").isLessThan(Duration.ofSeconds(2));
          if (answer.status() == 503 && answer.response().uri().getPath().startsWith("/actuator")) {
            assertThat(json(answer).get("status").asString()).isEqualTo("DOWN");
          } else if (answer.status() == 503) {
            unavailable++;
            assertThat(answer.response().headers().firstValue("retry-after")).isPresent();
            assertThat(answer.response().headers().firstValue("content-type")).get().asString()
                .startsWith("application/problem+json");
            assertThat(answer.response().body()).doesNotContain("\tat ");
          } else {
            assertThat(answer.status()).as(answer.response().body()).isBetween(200, 201);
            if (answer.response().request().method().equals("POST")) {
              record(answer);
            }
          }
        }
        back = send("GET", "/actuator/health", null).status() == 200;
        Thread.sleep(100);
      }
      assertThat(back).as("the app serves again by itself").isTrue();
      System.out.printf("database killed under the app: healthy again after %d ms, %d requests answered 503 meanwhile%n",
          Duration.ofNanos(System.nanoTime() - began).toMillis(), unavailable);
      assertThat(postmasterPid()).isNotEqualTo(killed);
      load.awaitAcknowledged(20);
    }

    assertEveryAcknowledgedCommandIsInTheLogAndTheReadModelIsItsFold();
    assertThat(servers()).hasSize(1);
    assertThat(setting("fsync")).as("the restarted server").isEqualTo("on");
    assertThat(setting("synchronous_commit")).isEqualTo("on");
    app.destroy(); // SIGTERM: the app stops its database
    assertThat(app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!servers().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(servers()).as("no server left running").isEmpty();
  }

  private void assertEveryAcknowledgedCommandIsInTheLogAndTheReadModelIsItsFold() {
    Set<Ack> logged = new HashSet<>();
    Map<String, Long> stock = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    long after = 0;
    while (true) {
      JsonNode page = json(send("GET", "/api/v1/events?after=" + after + "&limit=1000", null));
      for (JsonNode event : page.get("events")) {
        String stream = event.get("streamId").asString();
        logged.add(new Ack(stream, event.get("version").asLong(), event.get("position").asLong()));
        versions.put(stream, event.get("version").asLong());
        if (event.get("type").asString().equals("StockAdjusted")) {
          stock.merge(stream, event.get("data").get("delta").asLong(), Long::sum);
        }
      }
      long next = page.get("next").asLong();
      if (page.get("events").isEmpty() || next == after) {
        break;
      }
      after = next;
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(80);
    assertThat(logged).containsAll(acknowledged);
    for (String product : products) {
      Answer answer = send("GET", "/api/v1/products/" + product, null, "Ordo-Min-Position", Long.toString(after));
      assertThat(answer.response().headers().firstValue("ordo-consistent")).contains("true");
      JsonNode read = json(answer);
      assertThat(read.get("stockQuantity").asLong()).isEqualTo(stock.getOrDefault(product, 0L)).isPositive();
      assertThat(read.get("version").asLong()).isEqualTo(versions.get(product));
    }
  }

  /** Commands from four clients until closed: a new store, then a stock adjustment of its product. */
  private final class Load implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> clients = new ArrayList<>();
    private final int before = acknowledged.size();

    Load(int round) {
      for (int c = 0; c < 4; c++) {
        String product = products.get(c % PRODUCTS);
        String name = "r" + round + "c" + c + "n";
        clients.add(Thread.ofPlatform().start(() -> {
          for (int n = 0; !stop.get(); n++) {
            try {
              record(send("POST", "/api/v1/stores", "{\"name\":\"" + name + n + "\"}"));
              record(send("POST", "/api/v1/products/" + product + "/stock-adjustments",
                  "{\"delta\":1,\"reason\":\"MANUAL_ADJUSTMENT\"}"));
            } catch (IllegalStateException refused) {
              pause(); // the app is being killed or started
            }
          }
        }));
      }
    }

    void awaitAcknowledged(int count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (acknowledged.size() < before + count && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(acknowledged.size()).isGreaterThanOrEqualTo(before + count);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread client : clients) {
        client.join();
      }
    }
  }

  private void record(Answer answer) {
    if (answer.status() / 100 == 2) {
      JsonNode body = json(answer);
      acknowledged.add(new Ack(body.get("id").asString(), body.get("version").asLong(), body.get("position").asLong()));
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The app in a JVM of its own, so it can be killed; waits until it is healthy. */
  private void startApp() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dataDir.resolve("app-" + (++starts) + ".log");
    app = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), OrdoApplication.class.getName(),
        "--server.port=" + port, "--ordo.data.dir=" + dataDir, "--ordo.db.pool-size=8")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long began = System.nanoTime();
    while (System.nanoTime() - began < Duration.ofSeconds(40).toNanos()) {
      assertThat(app.isAlive()).as(() -> "the app exited: " + tail(log)).isTrue();
      try {
        if (send("GET", "/actuator/health", null).status() == 200) {
          System.out.printf("app start %d healthy after %d ms%n", starts, Duration.ofNanos(System.nanoTime() - began).toMillis());
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the app is not healthy after 40 s: " + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().trim());
  }

  /** A setting of the server running now. */
  private String setting(String name) throws Exception {
    int serverPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
    try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + serverPort + "/postgres", "postgres", null);
        var rs = connection.createStatement().executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Live postmasters (not zombies) whose command line names the data directory. */
  private List<ProcessHandle> servers() {
    String pgData = dataDir.resolve("postgres").toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(" -D " + pgData + " ")).orElse(false))
        .toList();
  }

  private Answer send(String method, String path, String body, String... headers) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    if (token == null) { // the key the app verifies with, under its data directory
      token = new Tokens(LocalSigningKey.loadOrCreate(dataDir.resolve("security/signing-key.jwk")), "ordo-local", "ordo")
          .mint("crash-test", List.of("admin"), List.of(), Duration.ofHours(1));
    }
    request.header("Authorization", "Bearer " + token);
    long began = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response, Duration.ofNanos(System.nanoTime() - began));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String created(Answer answer) {
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(201);
    return json(answer).get("id").asString();
  }

  private static JsonNode json(Answer answer) {
    return JSON.readTree(answer.response().body());
  }
}
