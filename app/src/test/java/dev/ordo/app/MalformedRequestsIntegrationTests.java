package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests a user got a 500 or an HTML page for: empty and NUL-bearing parameters, and requests
 * the servlet container refuses before Spring sees them. Every error is problem details.
 */
class MalformedRequestsIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static RunningApp app;
  private static int port;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    port = app.uri("/").getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonNode assertProblem(RunningApp.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("content-type")).as(response.body()).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    for (String member : new String[] {"type", "title", "detail"}) {
      assertThat(problem.hasNonNull(member)).as(member + " in " + response.body()).isTrue();
    }
    if (field != null) {
      assertThat(problem.get("errors").get(0).get("field").asString()).as(response.body()).isEqualTo(field);
    }
    return problem;
  }

  /** The raw bytes of a request, for what an HTTP client library refuses to send; the connection is closed after. */
  private static RunningApp.Response raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static RunningApp.Response raw(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(), lines[i].substring(colon + 1).strip());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        while (true) {
          int size = Integer.parseInt(readLine(in).split(";")[0].strip(), 16);
          if (size == 0) {
            break;
          }
          chunks.write(in.readNBytes(size));
          readLine(in);
        }
        body = chunks.toByteArray();
      } else if (headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else {
        body = in.readAllBytes();
      }
      return new RunningApp.Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      head.append(head.isEmpty() ? "" : "\r\n").append(line);
    }
    return head.toString();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String get(String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  @Test
  void anEmptyVersionOrAtIsA400NamingIt() {
    String id = UUID.randomUUID().toString();
    assertProblem(app.get("/api/v1/products/" + id + "?version="), 400, "version");
    assertProblem(app.get("/api/v1/products/" + id + "?version=%20"), 400, "version");
    assertProblem(app.get("/api/v1/products/" + id + "?at="), 400, "at");
    assertProblem(app.get("/api/v1/products/" + id + "?at=&version="), 400, "at");
  }

  @Test
  void otherEmptyOptionalParametersMeanAbsent() {
    for (String query : new String[] {"minPrice=", "maxPrice=", "size=", "cursor=", "sort=", "status=", "storeId=",
        "categoryId=", "minPosition="}) {
      var response = app.get("/api/v1/products?" + query);
      assertThat(response.status()).as(query + " " + response.body()).isEqualTo(200);
    }
    assertThat(app.get("/api/v1/products/search?q=phone&size=&cursor=&minPrice=").status()).isEqualTo(200);
    assertThat(app.get("/api/v1/events?after=&limit=").status()).isEqualTo(200);
    assertThat(app.get("/api/v1/search/popular?days=").status()).isEqualTo(200);
  }

  @Test
  void aNulOrOtherControlCharacterInATextParameterIsA400NamingIt() {
    assertProblem(app.get("/api/v1/products/search?q=%00"), 400, "q");
    assertProblem(app.get("/api/v1/products/search?q=gal%00axy"), 400, "q");
    assertProblem(app.get("/api/v1/products/suggest?q=%00"), 400, "q");
    assertProblem(app.get("/api/v1/products/suggest?q=a%07"), 400, "q");
    assertProblem(app.get("/api/v1/products?storeId=%00"), 400, "storeId");
    assertProblem(app.get("/api/v1/products?categoryId=a%00b"), 400, "categoryId");
    assertProblem(app.get("/api/v1/products/search?q=x&categoryId=%00"), 400, "categoryId");
    // a cursor is opaque, but one made by hand may decode to a NUL
    String cursor = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("newest\n2026-01-01T00:00:00Z\n\u0000".getBytes(StandardCharsets.UTF_8));
    assertProblem(app.get("/api/v1/products?cursor=" + cursor), 400, "cursor");
    // tabs and line breaks in q are just spaces
    assertThat(app.get("/api/v1/products/search?q=gal%09axy%0A").status()).isEqualTo(200);
  }

  @Test
  void aNulInAPathIdIsAProblemNotA500() throws IOException {
    for (String path : new String[] {"/api/v1/products/%00", "/api/v1/products/%00/history",
        "/api/v1/streams/%00", "/api/v1/commands/%00"}) {
      var response = raw(get(path));
      assertThat(response.status()).as(path + " " + response.body()).isIn(400, 404);
      assertProblem(response, response.status(), null);
    }
  }

  @Test
  void oddCharactersInCommandHeadersAreRecordedOrRefusedNeverA500() throws IOException {
    String body = "{\"name\":\"Header Mart\"}";
    String base = "POST /api/v1/stores HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n"
        + "Authorization: Bearer " + app.token("caf\u00e9", List.of("admin"), List.of()) + "\r\n";
    // obs-text (bytes 0x80..0xFF) is allowed in a header value: it is text; the actor is the token's subject
    var latin = raw((base + "X-Request-Id: caf\u00e9\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    assertThat(latin.status()).as(latin.body()).isEqualTo(201);
    String store = JSON.readTree(latin.body()).get("id").asString();
    var stream = app.get("/api/v1/streams/" + store);
    assertThat(stream.json().get("events").get(0).get("metadata").get("actor").asString()).isEqualTo("caf\u00e9");
    // control characters are refused by whichever layer sees them first, as a problem
    for (String header : new String[] {"X-User-Id: a\u0000b", "X-User-Id: a\u0001b", "X-Request-Id: \u0000",
        "Idempotency-Key: k\u0000"}) {
      var response = raw((base + header + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
      assertProblem(response, 400, null);
    }
    // a NUL inside a JSON string of the body cannot be stored: a 400 naming the field
    var nul = app.send("POST", "/api/v1/stores", "{\"name\":\"a\\u0000b\"}");
    assertProblem(nul, 400, "name");
  }

  @Test
  void requestsTheContainerRefusesAreProblemsToo() throws IOException {
    // bad percent-encoding in the path
    var badEncoding = raw("POST /api/v1/products/%ZZ/hide HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        + "Content-Length: 0\r\n\r\n");
    assertProblem(badEncoding, 400, null);
    // a header over the limit (8 KiB by default)
    assertProblem(raw(get("/api/v1/products", "X-Big: " + "x".repeat(20_000))), 400, null);
    // a request line over the limit
    assertProblem(raw(get("/api/v1/products?q=" + "x".repeat(20_000))), 400, null);
    // an invalid method token, a malformed request line, an unknown protocol
    assertProblem(raw("G(E)T /api/v1/products HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400, null);
    assertProblem(raw("GET\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400, null);
    assertProblem(raw("GET /api/v1/products HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 505, null);
    // an encoded slash, a path escaping the root, a bad character in the query
    assertProblem(raw(get("/api/v1/products/a%2Fb")), 400, null);
    assertProblem(raw(get("/api/v1/../../etc/passwd")), 400, null); // Spring Security's firewall
    assertProblem(raw(get("/api/v1/products?q={}")), 400, null);
  }

  @Test
  void anUnknownPathAndAWrongMethodAreProblems() throws IOException {
    // deny by default: a path no rule allows is refused whether or not anything answers there
    var unknown = assertProblem(app.get("/api/v1/nothing-here"), 403, null);
    assertThat(unknown.get("instance").asString()).isEqualTo("/api/v1/nothing-here");
    assertProblem(app.get("/nothing-at-all"), 403, null);
    assertProblem(app.send("GET", "/nothing-at-all", null, "Authorization", ""), 401, null);
    // a path a rule allows but nothing answers: 404; a method the path does not take: 405
    assertProblem(app.get("/api/v1/products/" + UUID.randomUUID() + "/nothing"), 404, null);
    assertProblem(app.send("PUT", "/api/v1/events", null), 405, null);
    // a path parameter (;jsessionid=…): Spring Security's firewall refuses it, as a problem
    assertProblem(raw(get("/api/v1/nothing;x=1", "Accept: text/html")), 400, null);
    var viaError = assertProblem(raw(get("/error", "Accept: text/html")), 404, null);
    assertThat(viaError.toString()).doesNotContain("Exception");
  }
}
