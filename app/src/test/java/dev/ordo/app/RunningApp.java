package dev.ordo.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.ordo.spring.security.Tokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The real application on a free port, called over real HTTP. */
final class RunningApp implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Response(int status, Map<String, String> headers, String body) {

    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase());
    }

    /** The id of the aggregate a creating command made; fails the test unless it answered 201. */
    String createdId() {
      org.assertj.core.api.Assertions.assertThat(status).as(body).isEqualTo(201);
      return json().get("id").asString();
    }
  }

  final ConfigurableApplicationContext context;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Map<String, String> adminTokens = new java.util.concurrent.ConcurrentHashMap<>();

  private RunningApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  static RunningApp start(Class<?> extraConfiguration, String... properties) {
    // as command-line arguments: they override application.properties, defaults would not
    String[] args = new String[properties.length + 3];
    args[0] = "--server.port=0";
    args[1] = "--ordo.search.dir=target/search"; // each log's indexes in a directory of its own below
    args[2] = "--ordo.security.key-file=target/security/signing-key.jwk";
    for (int i = 0; i < properties.length; i++) {
      args[i + 3] = "--" + properties[i];
    }
    var builder = new SpringApplicationBuilder(OrdoApplication.class);
    if (extraConfiguration != null) {
      builder.sources(extraConfiguration);
    }
    return new RunningApp(builder.run(args));
  }

  /** Retries the assertion until it holds or {@code within} has passed (then its last failure is thrown). */
  static void eventually(Duration within, Runnable assertion) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  /** A token of the app's local key for a user with these roles (and stores, for a seller). */
  String token(String user, List<String> roles, List<String> stores) {
    return bean(Tokens.class).mint(user, roles, stores, Duration.ofHours(1));
  }

  /**
   * A request with a JSON body (or none) and headers given as name, value, name, value… It carries
   * an admin's token for the user of its {@code X-User-Id} (or {@code test-admin}) unless it names
   * its own {@code Authorization}; an empty one sends none (an anonymous request).
   */
  Response send(String method, String path, String body, String... headers) {
    var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    String user = "test-admin";
    boolean authorized = false;
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("Authorization")) {
        authorized = true;
        if (headers[i + 1].isEmpty()) {
          continue;
        }
      }
      if (headers[i].equalsIgnoreCase("X-User-Id")) {
        user = headers[i + 1];
      }
      request.header(headers[i], headers[i + 1]);
    }
    if (!authorized) {
      String subject = user;
      request.header("Authorization", "Bearer " + adminTokens.computeIfAbsent(subject,
          u -> token(u, List.of("admin"), List.of())));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> received = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> received.put(name.toLowerCase(), String.join(",", values)));
      return new Response(response.statusCode(), received, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
