package dev.ordo.app.cli;

import dev.ordo.spring.security.LocalSigningKey;
import dev.ordo.spring.security.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ordo token --user alice --role seller --store <id>}: a token the embedded default
 * accepts, signed with the local key under the data directory (made if there is none yet), on
 * stdout alone so a script can take it: {@code TOKEN=$(./ordo token --user ops --role admin)}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Mints a bearer token signed with the local key of a data directory.")
public final class TokenCommand implements Callable<Integer> {

  @Option(names = "--user", required = true, description = "the subject: the caller's user id")
  String user;

  @Option(names = "--role", split = ",", description = "customer, seller, rider or admin (repeatable; default customer)")
  List<String> roles = List.of("customer");

  @Option(names = "--store", split = ",", description = "a store a seller belongs to (repeatable)")
  List<String> stores = List.of();

  @Option(names = "--valid", description = "how long it is valid, ISO-8601 (default ${DEFAULT-VALUE})",
      defaultValue = "PT12H")
  Duration valid;

  @Option(names = "--data-dir", description = "the app's data directory (default $ORDO_DATA_DIR or ./data)")
  Path dataDirectory;

  @Option(names = "--key-file", description = "the signing key (default <data-dir>/security/signing-key.jwk)")
  Path keyFile;

  @Option(names = "--issuer", defaultValue = "ordo-local", description = "as the app's ordo.security.issuer")
  String issuer;

  @Option(names = "--audience", defaultValue = "ordo", description = "as the app's ordo.security.audience")
  String audience;

  private static final List<String> ROLES = List.of("customer", "seller", "rider", "admin");

  @Override
  public Integer call() {
    for (String role : roles) {
      if (!ROLES.contains(role)) {
        System.err.println("token: unknown role " + role + " (one of " + String.join(", ", ROLES) + ")");
        return 2;
      }
    }
    if (valid.isNegative() || valid.isZero()) {
      System.err.println("token: --valid must be positive");
      return 2;
    }
    Path data = dataDirectory != null ? dataDirectory
        : Path.of(System.getenv().getOrDefault("ORDO_DATA_DIR", "./data"));
    Path key = keyFile != null ? keyFile : data.resolve("security/signing-key.jwk");
    System.out.println(new Tokens(LocalSigningKey.loadOrCreate(key), issuer, audience).mint(user, roles, stores, valid));
    return 0;
  }
}
