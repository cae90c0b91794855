package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.app.cli.ExitCodes;
import dev.ordo.app.cli.OrdoCli;
import dev.ordo.test.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ordo <command>} against a running app, in process: verify finds what a damaged read
 * model says otherwise than the log and repairs it, rebuild waits for its new generation, the log
 * exports, a flag switches, and each failure has the exit code {@link ExitCodes} promises.
 */
class OperatorCliIntegrationTests {

  /** What a command printed and how it ended. */
  record Run(int exit, String out, String err) {}

  private static synchronized Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var stdout = new ByteArrayOutputStream();
    var stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      int exit = OrdoCli.run(args);
      return new Run(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void verifyFindsAndRepairsRebuildWaitsEventsExportFlagsSwitchAndExitCodesHold() throws Exception {
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      String url = app.uri("").toString();
      String token = app.token("ops", List.of("admin"), List.of());
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"CLI Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
      String lamp = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Lamp","price":1000,"stockQuantity":3}""".formatted(store, category))
          .createdId();
      var desk = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Desk","price":5000,"stockQuantity":1}""".formatted(store, category));
      app.send("GET", "/api/v1/products/" + desk.createdId(), null, "Ordo-Min-Position", desk.header("ordo-position"));

      Run clean = cli("verify", "--url", url, "--token", token);
      assertThat(clean.exit()).as(clean.err()).isEqualTo(ExitCodes.OK);
      assertThat(clean.out()).contains("checked 2, differences 0");

      // damage product_read: a wrong price and a row no stream explains
      String schema = "product_read_g" + app.get("/api/v1/projections/product_read").json().get("active")
          .get("generation").asInt();
      sql(app.context.getBean("readDataSource", DataSource.class),
          "UPDATE " + schema + ".product_read SET price = 1 WHERE product_id = '" + lamp + "'",
          "CREATE TEMP TABLE ghost AS SELECT * FROM " + schema + ".product_read WHERE product_id = '" + lamp + "'",
          "UPDATE ghost SET product_id = 'ghost-product'",
          "INSERT INTO " + schema + ".product_read SELECT * FROM ghost");
      Run found = cli("verify", "--url", url, "--token", token, "--read-model", "product_read");
      assertThat(found.exit()).as(found.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(found.out()).contains("product_read " + lamp + ": price log=1000 stored=1",
          "product_read ghost-product: row log=null stored=\"present\"", "differences 2");

      Run repaired = cli("verify", "--url", url, "--token", token, "--repair");
      assertThat(repaired.exit()).as(repaired.out() + repaired.err()).isEqualTo(ExitCodes.OK);
      assertThat(repaired.out()).contains("differences 2, repaired 2");
      assertThat(app.get("/api/v1/products/" + lamp).json().get("price").asLong()).isEqualTo(1000);
      assertThat(app.get("/api/v1/products/ghost-product").status()).isEqualTo(404);
      assertThat(cli("verify", "--url", url, "--token", token).exit()).isEqualTo(ExitCodes.OK);

      Run rebuilt = cli("rebuild", "product_history", "--wait", "--url", url, "--token", token);
      assertThat(rebuilt.exit()).as(rebuilt.err()).isEqualTo(ExitCodes.OK);
      assertThat(rebuilt.out()).contains("product_history generation 2 answers");
      assertThat(app.get("/api/v1/projections/product_history").json().get("active").get("generation").asInt())
          .isEqualTo(2);

      Path export = Files.createTempFile("ordo-export", ".ndjson");
      Run exported = cli("events", "export", "--url", url, "--token", token, "-o", export.toString());
      assertThat(exported.exit()).as(exported.err()).isEqualTo(ExitCodes.OK);
      long head = app.get("/api/v1/events?limit=1").json().get("head").asLong();
      assertThat(Files.readAllLines(export)).hasSize((int) head);
      Run registered = cli("events", "export", "--url", url, "--token", token, "--type", "ProductRegistered");
      // the app's own log goes to the same stdout in this process: the events are the JSON lines
      assertThat(registered.out().lines().filter(line -> line.startsWith("{"))).hasSize(2)
          .allSatisfy(line -> assertThat(line).contains("\"ProductRegistered\""));

      Run switched = cli("flags", "set", "product-detail", "write-side", "--url", url, "--token", token);
      assertThat(switched.exit()).as(switched.err()).isEqualTo(ExitCodes.OK);
      assertThat(cli("flags", "--url", url, "--token", token).out()).containsPattern("product-detail +write-side .* ops");
      assertThat(app.get("/api/v1/products/" + lamp).header("ordo-source")).isEqualTo("write-model");

      assertThat(cli("console", "--url", url, "--data-dir", "target").out().lines())
          .anySatisfy(line -> assertThat(line).startsWith(url + "/admin/#token=ey"));

      // a legacy catalog imported, followed to the end; again, and nothing is appended
      String legacy = LegacyImportIntegrationTests.legacyCatalog(200);
      String source = legacy.substring(0, legacy.indexOf('?'));
      Run imported = cli("import", "--url", url, "--token", token, "--source", source, "--source-user", "postgres",
          "--source-password=" + LegacyImportIntegrationTests.PASSWORD);
      assertThat(imported.exit()).as(imported.out() + imported.err()).isEqualTo(ExitCodes.OK);
      assertThat(imported.out()).contains("\"state\" : \"COMPLETED\"", "\"matches\" : true");
      Run again = cli("import", "--url", url, "--token", token, "--source", source, "--source-user", "postgres",
          "--source-password=" + LegacyImportIntegrationTests.PASSWORD);
      assertThat(again.exit()).isEqualTo(ExitCodes.OK);
      assertThat(again.out()).contains("\"appended\" : 0");
      assertThat(cli("import", "--url", url, "--token", token, "--source", "jdbc:mysql://legacy/shop",
          "--source-user", "u", "--source-password=p").exit()).isEqualTo(ExitCodes.INVALID);

      // exit codes a script can trust
      assertThat(cli("verify", "--url", "http://127.0.0.1:1", "--token", token).exit()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(cli("verify", "--url", url, "--token", "not-a-token").exit()).isEqualTo(ExitCodes.REFUSED);
      String customer = app.token("alice", List.of("customer"), List.of());
      assertThat(cli("flags", "--url", url, "--token", customer).exit()).isEqualTo(ExitCodes.REFUSED);
      Run unknown = cli("rebuild", "no_such_thing", "--url", url, "--token", token);
      assertThat(unknown.exit()).isEqualTo(ExitCodes.INVALID);
      assertThat(unknown.err()).contains("404", "no_such_thing");
      assertThat(cli("flags", "set", "product-detail", "sideways", "--url", url, "--token", token).err())
          .contains("400", "source must be read-model or write-side");
      assertThat(cli("verify", "--url", url, "--token", token, "--read-model", "nope").exit()).isEqualTo(ExitCodes.INVALID);
      assertThat(cli("rebuild").exit()).isEqualTo(ExitCodes.USAGE);
      assertThat(cli("verify", "--no-such-option").exit()).isEqualTo(ExitCodes.USAGE);
    }
  }

  private static void sql(DataSource database, String... statements) throws Exception {
    try (Connection connection = database.getConnection(); Statement s = connection.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
