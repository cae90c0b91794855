package dev.ordo.app;

import dev.ordo.catalog.CatalogConfiguration;
import dev.ordo.ordering.OrderingConfiguration;
import dev.ordo.app.cli.TokenCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Every context in one process, on the embedded PostgreSQL unless ORDO_DB_URL names another. */
@SpringBootApplication
@Import({CatalogConfiguration.class, OrderingConfiguration.class})
public class OrdoApplication {

  /** The app, or with {@code token} first a token for it ({@link TokenCommand}). */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(new CommandLine(new TokenCommand()).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(OrdoApplication.class, args);
  }
}
