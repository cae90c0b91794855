package dev.ordo.personaldata;

/**
 * Seals personal values with a key per data subject (a customer), opens them again, and forgets a
 * subject by destroying its key. An event stays immutable and readable after that: its sealed
 * values simply open to {@link #FORGOTTEN}.
 *
 * <p>The sealed form is {@code ordo:pd:1:<key id>:<base64url(12-byte IV ‖ AES-256-GCM ciphertext
 * and tag)>}, the key id (a UUID) bound in as additional authenticated data: a value cannot be
 * moved under another key, and a changed value does not open.
 */
public interface PersonalData {

  /** What a value whose key is destroyed opens to. */
  String FORGOTTEN = "forgotten";

  /** The start of every sealed value. */
  String PREFIX = "ordo:pd:1:";

  /** {@code value} sealed with the subject's current key, a new key if it has none; null stays null. */
  String seal(String subject, String value);

  /**
   * The plaintext of a sealed value; {@link #FORGOTTEN} once its key is destroyed. A value not in
   * the sealed form (written before sealing, or not personal) is returned as it is.
   *
   * @throws IllegalArgumentException for a value in the sealed form that does not open with its
   *     key: changed or damaged, which is never a forgotten subject
   */
  String open(String value);

  /** Destroys the subject's key: every value sealed for it opens to {@link #FORGOTTEN} from now on. */
  void forget(String subject);

  /** Whether {@code value} is in the sealed form. */
  static boolean sealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }
}
