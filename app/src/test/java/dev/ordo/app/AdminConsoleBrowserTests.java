package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real headless Chromium: signing in, consumers updating live, a rebuild
 * clicked through to its new generation, a dead letter parked, refused while it still fails and
 * retried once its cause is gone, the event browser's filter, time travel side by side, command
 * status and a feature flag flipped. Every step is checked on the page and against the API.
 */
class AdminConsoleBrowserTests {

  @Test
  void anOperatorRebuildsRetriesADeadLetterBrowsesTravelsAndFlipsAFlag() throws Exception {
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Console Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
      String product = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Lamp","price":1000,"stockQuantity":3}""".formatted(store, category))
          .createdId();
      assertThat(app.send("PUT", "/api/v1/products/" + product + "/price", "{\"price\":1500}").status()).isEqualTo(200);
      String token = app.token("ops", List.of("admin"), List.of());

      ChromeDriver browser = Chromium.start();
      try {
        var wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        // --- signing in: the files are public, the data is not ------------------------------
        browser.get(app.uri("/admin").toString());
        wait.until(d -> d.findElement(By.id("login")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys("not-a-token");
        browser.findElement(By.cssSelector("#login-form button")).click();
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("not a token");
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("#login-form button")).click();
        wait.until(d -> d.findElement(By.id("who")).getText().contains("ops (admin)"));

        // --- consumers: live, and a rebuild to generation 2 ----------------------------------
        WebElement productRead = wait.until(d -> row(d, "product_read"));
        wait.until(d -> cellOf(d, "product_read", "state").equals("RUNNING"));
        assertThat(productRead.getText()).contains("g1");
        row(browser, "product_read").findElement(By.cssSelector("[data-testid=rebuild]")).click();
        wait.until(d -> d.findElement(By.id("message")).getText().contains("Rebuilding product_read as generation 2"));
        wait.until(d -> row(d, "product_read").getText().contains("g2")
            && cellOf(d, "product_read", "rebuild-progress").equals("done"));
        assertThat(app.get("/api/v1/projections/product_read").json().get("active").get("generation").asInt()).isEqualTo(2);

        // --- a dead letter: parked, refused while failing, retried once its cause is gone -----
        DataSource readDatabase = app.context.getBean("readDataSource", DataSource.class);
        sql(readDatabase, "ALTER TABLE product_read_g2.product_read ADD CONSTRAINT no_poison CHECK (name <> 'Poison')");
        String poison = app.send("POST", "/api/v1/products", """
            {"storeId":"%s","categoryId":"%s","name":"Poison","price":1,"stockQuantity":1}""".formatted(store, category))
            .createdId();
        wait.withTimeout(Duration.ofSeconds(60))
            .until(d -> cellOf(d, "product_read", "dead-letters").equals("1")
                && cellOf(d, "product_read", "state").equals("HALTED"));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/admin-console.png"), browser.getScreenshotAs(OutputType.BYTES)); // README's

        tab(browser, "dead-letters");
        WebElement letter = wait.until(d -> d.findElement(By.cssSelector("#dl-rows tr")));
        assertThat(new Select(browser.findElement(By.id("dl-consumer"))).getFirstSelectedOption().getText())
            .startsWith("product_read");
        assertThat(letter.getText()).contains("ProductRegistered", poison, "PARKED", "no_poison");
        letter.click();
        wait.until(d -> d.findElement(By.id("dl-event")).getText().contains("\"Poison\""));
        letter.findElement(By.cssSelector("[data-testid=retry]")).click();
        wait.until(d -> d.findElement(By.id("message")).getAttribute("class").equals("error"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("still fails");

        sql(readDatabase, "ALTER TABLE product_read_g2.product_read DROP CONSTRAINT no_poison");
        browser.findElement(By.cssSelector("#dl-rows tr [data-testid=retry]")).click();
        wait.until(d -> d.findElement(By.id("message")).getText().contains("retried"));
        wait.until(d -> d.findElements(By.cssSelector("#dl-rows tr")).isEmpty());
        browser.findElement(By.id("dl-all")).click();
        wait.until(d -> d.findElement(By.cssSelector("#dl-rows tr [data-testid=dl-state]")).getText().equals("RETRIED"));
        RunningApp.eventually(Duration.ofSeconds(20),
            () -> assertThat(app.get("/api/v1/products/" + poison).status()).isEqualTo(200));

        // --- the event browser: filtered by type, an event opened ----------------------------
        tab(browser, "events");
        browser.findElement(By.cssSelector("#event-filter [name=type]")).sendKeys("ProductRegistered");
        browser.findElement(By.cssSelector("#event-filter button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector("#event-rows tr.clickable")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#event-rows tr.clickable")))
            .allSatisfy(r -> assertThat(r.getText()).contains("ProductRegistered"));
        browser.findElement(By.cssSelector("#event-rows tr.clickable")).click();
        wait.until(d -> d.findElement(By.cssSelector("#event-rows tr.detail")).getText().contains("\"Lamp\""));

        // --- time travel: version 1 beside now, the price marked as changed ------------------
        tab(browser, "time-travel");
        browser.findElement(By.cssSelector("#travel-form [name=stream]")).sendKeys(product);
        browser.findElement(By.cssSelector("#travel-form button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#travel-versions button")).size() == 2);
        browser.findElement(By.cssSelector("[data-testid=version-1]")).click();
        wait.until(d -> d.findElement(By.id("then-title")).getText().equals("product at version 1"));
        WebElement thenPrice = browser.findElement(By.cssSelector("#travel-then [data-field=price]"));
        assertThat(thenPrice.getText()).isEqualTo("price: 1000");
        assertThat(thenPrice.getAttribute("class")).isEqualTo("changed");
        assertThat(browser.findElement(By.cssSelector("#travel-now [data-field=price]")).getText()).isEqualTo("price: 1500");
        assertThat(browser.findElement(By.cssSelector("#travel-then [data-field=name]")).getAttribute("class")).isEmpty();

        // --- command status ------------------------------------------------------------------
        String commandId = app.send("PUT", "/api/v1/products/" + product + "/price", "{\"price\":1700}",
            "Prefer", "respond-async").header("location").replaceAll(".*/", "");
        tab(browser, "commands");
        browser.findElement(By.cssSelector("#command-form [name=id]")).sendKeys(commandId);
        browser.findElement(By.cssSelector("#command-form button")).click();
        wait.until(d -> d.findElement(By.id("command-status")).getText().contains("SUCCEEDED"));

        // --- a feature flag flipped: recorded as an event, the detail answered from the log --
        tab(browser, "flags");
        WebElement flag = wait.until(d -> d.findElement(By.cssSelector("tr[data-flag=product-detail]")));
        assertThat(flag.findElement(By.cssSelector("[data-testid=flag-source]")).getText()).isEqualTo("read-model");
        flag.findElement(By.cssSelector("[data-testid=flip]")).click();
        wait.until(d -> d.findElement(By.cssSelector("tr[data-flag=product-detail] [data-testid=flag-source]"))
            .getText().equals("write-side"));
        assertThat(browser.findElement(By.cssSelector("tr[data-flag=product-detail]")).getText()).contains("ops");
        assertThat(app.get("/api/v1/products/" + product).header("ordo-source")).isEqualTo("write-model");
        var changes = app.get("/api/v1/events?type=QuerySourceChanged").json().get("events");
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).get("metadata").get("actor").asString()).isEqualTo("ops");
      } finally {
        browser.quit();
      }
    }
  }

  private static WebElement row(org.openqa.selenium.WebDriver browser, String consumer) {
    return browser.findElement(By.cssSelector("#consumer-rows tr[data-consumer='" + consumer + "']"));
  }

  private static String cellOf(org.openqa.selenium.WebDriver browser, String consumer, String testId) {
    return row(browser, consumer).findElement(By.cssSelector("[data-testid=" + testId + "]")).getText();
  }

  private static void tab(ChromeDriver browser, String name) {
    browser.findElement(By.cssSelector("#tabs button[data-tab=" + name + "]")).click();
  }

  private static void sql(DataSource database, String statement) throws Exception {
    try (Connection connection = database.getConnection(); Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }
}
