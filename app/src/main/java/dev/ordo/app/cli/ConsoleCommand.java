package dev.ordo.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ordo console}: the admin console's address with an admin's token in its fragment (a
 * fragment never reaches a server or its logs; the page takes the token and drops it from the
 * address bar).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = "Prints the admin console's address, signed in as an admin for 12 hours.")
final class ConsoleCommand implements Callable<Integer> {

  @Option(names = "--url", description = "the app (default $ORDO_URL or http://localhost:8080)")
  String url;

  @Option(names = "--user", defaultValue = "ops", description = "the admin the console acts as (default ${DEFAULT-VALUE})")
  String user;

  @Option(names = "--data-dir", description = "the app's data directory (default $ORDO_DATA_DIR or ./data)")
  Path dataDirectory;

  @Override
  public Integer call() {
    String token = AppConnection.adminToken(AppConnection.keyFile(dataDirectory), user, Duration.ofHours(12));
    String base = url != null ? url : System.getenv().getOrDefault("ORDO_URL", "http://localhost:8080");
    System.out.println(base.replaceAll("/$", "") + "/admin/#token=" + token);
    return ExitCodes.OK;
  }
}
