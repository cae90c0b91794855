package dev.ordo.app;

import dev.ordo.catalog.CatalogConfiguration;
import dev.ordo.ordering.OrderingConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Every context in one process, on the embedded PostgreSQL unless ORDO_DB_URL names another. */
@SpringBootApplication
@Import({CatalogConfiguration.class, OrderingConfiguration.class})
public class OrdoApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrdoApplication.class, args);
  }
}
