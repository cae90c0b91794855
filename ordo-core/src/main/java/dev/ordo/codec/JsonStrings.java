package dev.ordo.codec;

/** JSON string literals written by hand, for the few hot paths that build small JSON documents. */
public final class JsonStrings {

  private JsonStrings() {}

  /** Appends {@code value} as a quoted, escaped JSON string. */
  public static StringBuilder appendQuoted(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
