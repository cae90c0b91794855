package dev.ordo.personaldata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed form of {@link PersonalData}, whatever keeps the keys: AES-256-GCM with a random
 * 12-byte IV per value and the key id as additional authenticated data.
 */
public final class SealedValues {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_ID_CHARS = 36;

  private SealedValues() {}

  /** A new random 256-bit key. */
  public static byte[] newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  public static String seal(UUID keyId, byte[] key, String value) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyId, key, iv);
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
      return PersonalData.PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The id of the key a sealed value was sealed with. */
  public static UUID keyId(String sealed) {
    int from = PersonalData.PREFIX.length();
    if (!PersonalData.sealed(sealed) || sealed.length() < from + KEY_ID_CHARS + 1
        || sealed.charAt(from + KEY_ID_CHARS) != ':') {
      throw new IllegalArgumentException("not a sealed value");
    }
    try {
      return UUID.fromString(sealed.substring(from, from + KEY_ID_CHARS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sealed value: bad key id");
    }
  }

  /** @throws IllegalArgumentException for a value changed or damaged since it was sealed */
  public static String open(String sealed, byte[] key) {
    UUID keyId = keyId(sealed);
    try {
      byte[] in = Base64.getUrlDecoder().decode(sealed.substring(PersonalData.PREFIX.length() + KEY_ID_CHARS + 1));
      if (in.length < IV_BYTES + TAG_BITS / 8) {
        throw new IllegalArgumentException("a sealed value too short to be one");
      }
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyId, key, java.util.Arrays.copyOf(in, IV_BYTES));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("a sealed value that does not open with its key: changed or damaged");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static Cipher cipher(int mode, UUID keyId, byte[] key, byte[] iv) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(keyId.toString().getBytes(StandardCharsets.US_ASCII));
    return cipher;
  }
}
