package dev.ordo.spring.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints the tokens the embedded default accepts ({@code ./ordo token}, tests, benchmarks): RS256
 * JWTs with the subject, {@code roles} and {@code stores} claims, the local issuer and audience.
 */
public final class Tokens {

  private final RSAKey key;
  private final String issuer;
  private final String audience;

  public Tokens(RSAKey key, String issuer, String audience) {
    this.key = key;
    this.issuer = issuer;
    this.audience = audience;
  }

  public String mint(String subject, Collection<String> roles, Collection<String> stores, Duration valid) {
    if (valid.isNegative() || valid.isZero()) {
      throw new IllegalArgumentException("a token is valid for a while, not " + valid);
    }
    Instant now = Instant.now();
    var claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(1)))
        .expirationTime(Date.from(now.plus(valid)))
        .jwtID(UUID.randomUUID().toString())
        .claim(SecuritySettings.ROLES_CLAIM, List.copyOf(roles))
        .claim(SecuritySettings.STORES_CLAIM, List.copyOf(stores))
        .build();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }
}
