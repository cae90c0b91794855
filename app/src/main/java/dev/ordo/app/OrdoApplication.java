package dev.ordo.app;

import dev.ordo.app.cli.OrdoCli;
import dev.ordo.catalog.CatalogConfiguration;
import dev.ordo.ordering.OrderingConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Every context in one process, on the embedded PostgreSQL unless ORDO_DB_URL names another. */
@SpringBootApplication
@Import({CatalogConfiguration.class, OrderingConfiguration.class})
public class OrdoApplication {

  /** The app, or with a command first one of the operator's tools ({@link OrdoCli}). */
  public static void main(String[] args) {
    if (OrdoCli.handles(args)) {
      System.exit(OrdoCli.run(args));
    }
    SpringApplication.run(OrdoApplication.class, args);
  }
}
