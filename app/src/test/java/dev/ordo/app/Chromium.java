package dev.ordo.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} and {@code
 * chromium-driver}, installed with apt when missing (the machine's network reaches Debian's
 * mirrors only), driven through Selenium. Started with what the closed network needs: no
 * background connections, no sync, a fresh profile.
 */
final class Chromium {

  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  static ChromeDriver start() throws IOException, InterruptedException {
    install();
    Path profile = Files.createTempDirectory("ordo-chromium");
    var options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
    var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30)).build();
    var driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /** apt-get install chromium chromium-driver, with the package lists updated first if that is what is missing. */
  private static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    List<String> install = List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium", "chromium-driver");
    if (run(install) != 0 && (run(List.of("apt-get", "update", "-q")) != 0 || run(install) != 0)) {
      throw new IllegalStateException("could not install chromium and chromium-driver with apt-get (see the output above); "
          + "install them by hand: apt-get install chromium chromium-driver");
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).inheritIO().redirectInput(new File("/dev/null"));
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    return builder.start().waitFor();
  }
}
