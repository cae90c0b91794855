package dev.ordo.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Every context in one process, on the embedded PostgreSQL unless ORDO_DB_URL names another. */
@SpringBootApplication
public class OrdoApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrdoApplication.class, args);
  }
}
