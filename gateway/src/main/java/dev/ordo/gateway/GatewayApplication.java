package dev.ordo.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The gateway process. It depends on Spring Cloud and Spring Boot only, never on an Ordo module:
 * it knows the services by URL and the API by path pattern, so it is built, deployed and scaled on
 * its own, and a new command or query needs no new gateway.
 */
@SpringBootApplication
public class GatewayApplication {

  public static void main(String[] args) {
    SpringApplication.run(GatewayApplication.class, args);
  }
}
