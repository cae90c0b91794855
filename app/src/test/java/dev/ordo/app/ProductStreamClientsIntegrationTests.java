package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.test.TestPostgres;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Many live clients cost memory, not threads or connections: every SSE client of the process is
 * served from one tail of the log, and each gets every change, in order.
 */
class ProductStreamClientsIntegrationTests {

  private static final int CLIENTS = 300;
  private static final int CHANGES = 30;
  private static final Pattern ID = Pattern.compile("(?m)^id:(\\d+)$");

  @Test
  void hundredsOfClientsShareOneTailAndEachGetsEveryChangeInOrder() throws Exception {
    RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    List<Socket> clients = new ArrayList<>();
    try {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Live Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"Live\"}").createdId();
      String product = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Streamed","price":1000,"stockQuantity":1000}"""
          .formatted(store, category)).createdId();
      long threadsBefore = platformThreads();

      for (int i = 0; i < CLIENTS; i++) {
        Socket socket = new Socket("127.0.0.1", app.uri("/").getPort());
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/products/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        clients.add(socket);
      }
      awaitClients(app, CLIENTS);

      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < CHANGES; i++) {
        var answer = app.send("POST", "/api/v1/products/" + product + "/stock-adjustments",
            "{\"delta\":-1,\"reason\":\"ORDER\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        positions.add(Long.parseLong(answer.header("ordo-position")));
      }
      HikariDataSource write = (HikariDataSource) app.bean(DataSource.class);
      // the fewest in use over a moment: the log's other consumers (read models, processes, the
      // payment deadlines) each take one for an instant; a client holding one would hold it throughout
      int held = Integer.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        held = Math.min(held, write.getHikariPoolMXBean().getActiveConnections());
        Thread.sleep(10);
      }
      assertThat(held).as("connections held by live clients").isLessThanOrEqualTo(4);
      assertThat(platformThreads() - threadsBefore).as("platform threads added by %d live clients", CLIENTS)
          .isLessThan(30);

      for (Socket client : clients) {
        assertThat(received(client.getInputStream(), CHANGES)).isEqualTo(positions);
      }
      long closing = System.nanoTime();
      app.close();
      assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("shutdown does not wait for open streams")
          .isLessThan(Duration.ofSeconds(15));
    } finally {
      for (Socket client : clients) {
        client.close();
      }
      app.close();
    }
  }

  @Test
  void aClientResumingFromBeforeTheWindowReadsTheLogUntilItReachesIt() throws Exception {
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(), "ordo.live.window=4")) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Window Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"Window\"}").createdId();
      var registered = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Windowed","price":1000,"stockQuantity":1000}"""
          .formatted(store, category));
      String product = registered.createdId();
      List<Long> positions = new ArrayList<>(List.of(Long.parseLong(registered.header("ordo-position"))));
      for (int i = 0; i < 15; i++) {
        var answer = app.send("POST", "/api/v1/stores", "{\"name\":\"Between " + i + "\"}"); // not product events
        assertThat(answer.status()).isEqualTo(201);
        answer = app.send("POST", "/api/v1/products/" + product + "/stock-adjustments",
            "{\"delta\":-1,\"reason\":\"ORDER\"}");
        positions.add(Long.parseLong(answer.header("ordo-position")));
      }
      // the feed holds only the last 4 product events: the client starts in the log, then joins the window
      try (Socket client = new Socket("127.0.0.1", app.uri("/").getPort())) {
        client.setSoTimeout(20_000);
        client.getOutputStream().write(("GET /api/v1/products/stream HTTP/1.1\r\nHost: localhost\r\n"
            + "Last-Event-ID: " + (positions.getFirst() - 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(received(client.getInputStream(), positions.size())).isEqualTo(positions);
      }
    }
  }

  @Test
  void aClientFollowingOneProductGetsOnlyItsChanges() throws Exception {
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Page Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"Page\"}").createdId();
      String watched = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Watched","price":1000,"stockQuantity":100}"""
          .formatted(store, category)).createdId();
      String other = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Other","price":1000,"stockQuantity":100}"""
          .formatted(store, category)).createdId();
      try (Socket client = new Socket("127.0.0.1", app.uri("/").getPort())) {
        client.setSoTimeout(20_000);
        client.getOutputStream().write(("GET /api/v1/products/stream?productId=" + watched + " HTTP/1.1\r\n"
            + "Host: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        awaitClients(app, 1);
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          app.send("POST", "/api/v1/products/" + other + "/stock-adjustments", "{\"delta\":-1,\"reason\":\"ORDER\"}");
          var answer = app.send("POST", "/api/v1/products/" + watched + "/stock-adjustments",
              "{\"delta\":-1,\"reason\":\"ORDER\"}");
          positions.add(Long.parseLong(answer.header("ordo-position")));
        }
        assertThat(received(client.getInputStream(), positions.size())).isEqualTo(positions);
      }
      var unknown = app.send("GET", "/api/v1/products/stream?productId=" + java.util.UUID.randomUUID(), null);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.header("content-type")).startsWith("application/problem+json");
    }
  }

  private static void awaitClients(RunningApp app, int count) throws InterruptedException {
    var stream = app.bean(dev.ordo.catalog.product.ProductStream.class);
    for (int i = 0; i < 200 && stream.clients() < count; i++) {
      Thread.sleep(50);
    }
    assertThat(stream.clients()).isEqualTo(count);
  }

  /**
   * Platform threads other than the web server's request workers (a pool that grows with
   * concurrent requests, here the 300 clients connecting at once, whether or not they stay).
   */
  private static long platformThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isVirtual() && !t.getName().startsWith("http-nio-")).count();
  }

  /** The event ids of the first {@code count} events the client was sent. */
  private static List<Long> received(InputStream in, int count) throws Exception {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    List<Long> ids = new ArrayList<>();
    while (ids.size() < count) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      ids.clear();
      Matcher m = ID.matcher(text);
      while (m.find()) {
        ids.add(Long.parseLong(m.group(1)));
      }
    }
    return ids;
  }
}
