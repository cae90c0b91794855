package dev.ordo.spring.security;

import java.nio.file.Path;
import org.springframework.core.env.Environment;

/**
 * How requests are authenticated: {@code ordo.security.mode} {@code token} (the default: a bearer
 * JWT) or {@code dev} (also {@code X-User-Id}, trusted as said: development only); the local
 * issuer and audience ({@code ordo.security.issuer}, {@code ordo.security.audience}) and signing
 * key file ({@code ordo.security.key-file}, default {@code <ordo.data.dir>/security/signing-key.jwk});
 * the claims a token's roles and stores are read from ({@code ordo.security.roles-claim},
 * {@code ordo.security.stores-claim}: {@code roles} and {@code stores}).
 */
public record SecuritySettings(boolean devMode, String issuer, String audience, Path keyFile, String rolesClaim,
    String storesClaim) {

  public static final String ROLES_CLAIM = "roles";
  public static final String STORES_CLAIM = "stores";

  public static SecuritySettings from(Environment environment) {
    String mode = environment.getProperty("ordo.security.mode", "token");
    if (!mode.equals("token") && !mode.equals("dev")) {
      throw new IllegalStateException("ordo.security.mode is token or dev, not " + mode);
    }
    String keyFile = environment.getProperty("ordo.security.key-file",
        environment.getProperty("ordo.data.dir", "./data") + "/security/signing-key.jwk");
    return new SecuritySettings(mode.equals("dev"), environment.getProperty("ordo.security.issuer", "ordo-local"),
        environment.getProperty("ordo.security.audience", "ordo"), Path.of(keyFile),
        environment.getProperty("ordo.security.roles-claim", ROLES_CLAIM),
        environment.getProperty("ordo.security.stores-claim", STORES_CLAIM));
  }
}
