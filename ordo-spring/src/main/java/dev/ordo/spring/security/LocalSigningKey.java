package dev.ordo.spring.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The RSA key the embedded default signs and verifies its own tokens with: a JWK file under the
 * data directory, made on first use, readable by its owner only. Whoever can read it can mint any
 * token, so production configures an issuer instead ({@code spring.security.oauth2.resourceserver.jwt.*}).
 */
public final class LocalSigningKey {

  private LocalSigningKey() {}

  /** The key in {@code file}, or a new one written there if there is none yet. */
  public static RSAKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return RSAKey.parse(Files.readString(file));
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
      Path written = Files.createTempFile(file.toAbsolutePath().getParent(), ".signing-key", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(written, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.move(written, file); // not replacing: a key another process wrote first wins
        return key;
      } catch (FileAlreadyExistsException raced) {
        Files.delete(written);
        return RSAKey.parse(Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the signing key " + file, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the signing key " + file + " is not an RSA JWK", e);
    }
  }
}
