package dev.ordo.app.cli;

import dev.ordo.spring.security.LocalSigningKey;
import dev.ordo.spring.security.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a command reaches the running app: its URL and an admin's token, as options every command
 * shares (a picocli mixin). Without {@code --token} (or {@code ORDO_TOKEN}) a short-lived admin
 * token is minted with the local key of the data directory, as {@code ./ordo token} would.
 */
public final class AppConnection {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @Option(names = "--url", description = "the app (default $ORDO_URL or http://localhost:8080)")
  String url;

  @Option(names = "--token", description = "an admin's bearer token (default $ORDO_TOKEN, else minted with the local key)")
  String token;

  @Option(names = "--data-dir", description = "the app's data directory, for the local key (default $ORDO_DATA_DIR or ./data)")
  Path dataDirectory;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The app answered with an error: its problem detail, and the exit code a script can trust. */
  static final class Failure extends RuntimeException {

    final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  URI base() {
    String given = url != null ? url : System.getenv().getOrDefault("ORDO_URL", "http://localhost:8080");
    return URI.create(given.endsWith("/") ? given.substring(0, given.length() - 1) : given);
  }

  private String bearer() {
    if (token == null) {
      token = System.getenv("ORDO_TOKEN");
    }
    if (token == null) {
      Path key = keyFile(dataDirectory);
      if (!Files.exists(key)) {
        throw new Failure(ExitCodes.USAGE, "no token: give --token or ORDO_TOKEN, or --data-dir of the app (no key at " + key + ")");
      }
      token = adminToken(key, "ordo-cli", Duration.ofHours(1));
    }
    return token;
  }

  /** The local signing key of a data directory (null: {@code $ORDO_DATA_DIR} or {@code ./data}). */
  static Path keyFile(Path dataDirectory) {
    Path data = dataDirectory != null ? dataDirectory : Path.of(System.getenv().getOrDefault("ORDO_DATA_DIR", "./data"));
    return data.resolve("security/signing-key.jwk");
  }

  /** An admin's token signed with a local key, for the embedded default's issuer and audience. */
  static String adminToken(Path key, String user, Duration valid) {
    return new Tokens(LocalSigningKey.loadOrCreate(key), "ordo-local", "ordo").mint(user, List.of("admin"), List.of(), valid);
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body))));
  }

  JsonNode put(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** A streamed GET (a large answer read as it comes); the caller closes it. */
  InputStream stream(String path) {
    HttpResponse<InputStream> response = exchange(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream body = response.body()) {
        throw failure(response.statusCode(), new String(body.readAllBytes()));
      } catch (IOException e) {
        throw new Failure(ExitCodes.UNREACHABLE, "reading the answer: " + e.getMessage());
      }
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + bearer()).header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw failure(response.statusCode(), response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request.build(), body);
    } catch (ConnectException e) {
      throw new Failure(ExitCodes.UNREACHABLE, "the app does not answer at " + base() + " (is it running? --url)");
    } catch (IOException e) {
      throw new Failure(ExitCodes.UNREACHABLE, "talking to " + base() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitCodes.FAILED, "interrupted");
    }
  }

  private static Failure failure(int status, String body) {
    String detail = body;
    try {
      JsonNode problem = JSON.readTree(body);
      detail = problem.path("detail").asString(problem.path("title").asString(body));
    } catch (RuntimeException notJson) {
      // the body as it came
    }
    int code = status == 401 || status == 403 ? ExitCodes.REFUSED : status >= 500 ? ExitCodes.APP_ERROR : ExitCodes.INVALID;
    return new Failure(code, status + ": " + detail);
  }
}
