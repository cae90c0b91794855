package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ordo.app.cli.TokenCommand;
import dev.ordo.spring.security.Tokens;
import dev.ordo.test.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Tokens (issue 14): the embedded default's local key verifies what it signed and nothing else;
 * a token expired, signed by another key, unsigned ({@code alg: none}), signed with the public key
 * as an HMAC secret, from another issuer or for another audience, or without a subject is a 401
 * problem; the actor of a command is the token's subject; {@code X-User-Id} means nothing unless
 * the app runs in development mode; {@code ./ordo token} mints a token the app accepts.
 */
class AuthenticationIntegrationTests {

  private static RunningApp app;
  private static RSAKey key;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    key = app.bean(RSAKey.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static RunningApp.Response createStore(String token) {
    return app.send("POST", "/api/v1/stores", "{\"name\":\"Token Mart\"}", "Authorization",
        token == null ? "" : "Bearer " + token);
  }

  private static void assertUnauthorized(RunningApp.Response response, String detail) {
    assertThat(response.status()).as(response.body()).isEqualTo(401);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    assertThat(response.header("www-authenticate")).startsWith("Bearer");
    assertThat(response.json().get("type").asString()).isEqualTo("https://ordo.dev/problems/unauthorized");
    assertThat(response.json().get("detail").asString()).contains(detail);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void aTokenOfTheLocalKeyIsTheCallerAndItsSubjectTheActor() {
    var created = createStore(app.token("ops-1", List.of("admin"), List.of()));
    String store = created.createdId();
    var events = app.get("/api/v1/streams/" + store).json().get("events");
    assertThat(events.get(0).get("metadata").get("actor").asString()).isEqualTo("ops-1");
  }

  @Test
  void everyKindOfBadTokenIs401AndWritesNothing() throws Exception {
    long before = app.get("/api/v1/events?limit=1000").json().get("events").size();
    assertUnauthorized(createStore(null), "needs a bearer token");
    assertUnauthorized(createStore("not-a-jwt"), "not accepted");
    Tokens local = app.bean(Tokens.class);
    assertThat(local.mint("ops", List.of("admin"), List.of(), Duration.ofMinutes(5))).isNotBlank();
    long now = System.currentTimeMillis();
    assertUnauthorized(createStore(signed(new JWTClaimsSet.Builder(claims("ops")).issueTime(new Date(now - 600_000))
        .expirationTime(new Date(now - 300_000)).build())), "expired");
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
    assertUnauthorized(createStore(new Tokens(stranger, "ordo-local", "ordo")
        .mint("ops", List.of("admin"), List.of(), Duration.ofMinutes(5))), "not accepted");
    assertUnauthorized(createStore(new Tokens(key, "https://elsewhere.example", "ordo")
        .mint("ops", List.of("admin"), List.of(), Duration.ofMinutes(5))), "iss");
    assertUnauthorized(createStore(new Tokens(key, "ordo-local", "another-api")
        .mint("ops", List.of("admin"), List.of(), Duration.ofMinutes(5))), "audience");
    // unsigned: alg none, the claims of an admin
    String claims = claims("ops").toString();
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".";
    assertUnauthorized(createStore(none), "not accepted");
    // the public key as an HMAC secret (the algorithm confusion attack)
    var hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("ops"));
    hmac.sign(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()));
    assertUnauthorized(createStore(hmac.serialize()), "not accepted");
    // no subject: nobody to record as the actor
    assertUnauthorized(createStore(signed(new JWTClaimsSet.Builder(claims("x")).subject(null).build())), "subject");
    // a bearer header that holds no token (RFC 6750's characters, nothing after its padding): refused, not anonymous
    for (String header : List.of("Bearer", "Bearer ", "bearer  x", "Bearer a b", "Bearer ab=c", "Bearer ab;c")) {
      assertUnauthorized(app.send("POST", "/api/v1/stores", "{\"name\":\"Token Mart\"}", "Authorization", header),
          "malformed");
    }
    // the scheme's name in any case, as HTTP has it
    assertThat(app.send("POST", "/api/v1/stores", "{\"name\":\"Case Mart\"}", "Authorization",
        "bEARER " + app.token("ops-2", List.of("admin"), List.of())).status()).isEqualTo(201);
    before++;
    // X-User-Id alone is nobody outside development mode
    assertUnauthorized(app.send("POST", "/api/v1/stores", "{\"name\":\"Token Mart\"}", "Authorization", "",
        "X-User-Id", "admin"), "needs a bearer token");
    assertThat(app.get("/api/v1/events?limit=1000").json().get("events").size()).isEqualTo(before);
  }

  @Test
  void aValidTokenWithoutTheRoleIs403() {
    var refused = createStore(app.token("shopper", List.of("customer"), List.of()));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("type").asString()).isEqualTo("https://ordo.dev/problems/forbidden");
    var ops = app.send("GET", "/api/v1/projections", null, "Authorization",
        "Bearer " + app.token("shopper", List.of("customer"), List.of()));
    assertThat(ops.status()).isEqualTo(403);
    assertThat(ops.header("content-type")).startsWith("application/problem+json");
  }

  @Test
  void theTokenCommandMintsATokenTheAppAccepts() {
    var out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new TokenCommand()).execute("--user", "cli-admin", "--role", "admin",
          "--key-file", app.context.getEnvironment().getProperty("ordo.security.key-file"));
    } finally {
      System.setOut(stdout);
    }
    assertThat(exit).isZero();
    String token = out.toString(StandardCharsets.UTF_8).strip();
    String store = createStore(token).createdId();
    assertThat(app.get("/api/v1/streams/" + store).json().get("events").get(0).get("metadata").get("actor")
        .asString()).isEqualTo("cli-admin");
    assertThat(new CommandLine(new TokenCommand()).execute("--user", "x", "--role", "emperor")).isEqualTo(2);
    assertThat(new CommandLine(new TokenCommand()).execute("--role", "admin")).isEqualTo(2); // no --user
  }

  @Test
  void developmentModeTrustsXUserIdAndSaysSo() {
    try (RunningApp dev = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.security.mode=dev")) {
      var created = dev.send("POST", "/api/v1/stores", "{\"name\":\"Dev Mart\"}", "Authorization", "",
          "X-User-Id", "dev-1", "X-User-Roles", "admin");
      String store = created.createdId();
      assertThat(dev.get("/api/v1/streams/" + store).json().get("events").get(0).get("metadata").get("actor")
          .asString()).isEqualTo("dev-1");
      // the roles still count: a customer (the default) opens no store
      assertThat(dev.send("POST", "/api/v1/stores", "{\"name\":\"Dev Mart 2\"}", "Authorization", "",
          "X-User-Id", "dev-2").status()).isEqualTo(403);
    }
  }

  private static JWTClaimsSet claims(String subject) {
    return new JWTClaimsSet.Builder().subject(subject).issuer("ordo-local").audience("ordo")
        .expirationTime(new Date(System.currentTimeMillis() + 300_000)).claim("roles", List.of("admin")).build();
  }

  /** Signed with the app's own key: only the claims are wrong. */
  private static String signed(JWTClaimsSet claims) throws Exception {
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
