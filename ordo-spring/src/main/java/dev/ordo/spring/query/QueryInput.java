package dev.ordo.spring.query;

import dev.ordo.spring.problem.ControlCharacters;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Query parameters read strictly: anything malformed is a 400 naming the parameter, never a guess. */
public final class QueryInput {

  /** How long a query waits for the read models to reach its {@code Ordo-Min-Position}. */
  public static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(5);
  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;

  private QueryInput() {}

  /** {@code Ordo-Min-Position} or {@code ?minPosition=}: a position or a token; none when absent. */
  public static MinPosition minPosition(HttpServletRequest request) {
    String value = request.getHeader("Ordo-Min-Position");
    String field = "Ordo-Min-Position";
    if (value == null) {
      value = request.getParameter("minPosition");
      field = "minPosition";
    }
    return MinPosition.parse(field, value);
  }

  public static int size(String value, int otherwise) {
    Long size = optionalLong("size", value, 1);
    if (size == null) {
      return otherwise;
    }
    if (size > MAX_SIZE) {
      throw new InvalidInputException("size", "must be at most " + MAX_SIZE);
    }
    return size.intValue();
  }

  /** A whole number at least {@code min}, or null when absent. */
  public static Long optionalLong(String field, String value, long min) {
    if (value == null || value.isBlank()) {
      return null;
    }
    long number;
    try {
      number = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "must be an integer");
    }
    if (number < min) {
      throw new InvalidInputException(field, "must be at least " + min);
    }
    return number;
  }

  public static String oneOf(String field, String value, String otherwise, Set<String> allowed) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    if (!allowed.contains(value)) {
      throw new InvalidInputException(field, "must be one of " + allowed.stream().sorted().toList());
    }
    return value;
  }

  public static String id(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > 100) {
      throw new InvalidInputException(field, "is too long");
    }
    return value;
  }

  /**
   * An aggregate's id from a path, in the canonical form its stream has: ids are UUIDs (as the
   * command endpoint reads them), so any other names nothing and is a 404 without a query.
   */
  public static String aggregateId(String kind, String value) {
    if (value != null && value.length() == 36) {
      try {
        return UUID.fromString(value).toString();
      } catch (IllegalArgumentException e) {
        // not a UUID: below
      }
    }
    throw new NotFoundException("no " + kind + " " + (value == null ? "" : ControlCharacters.containsControl(value)
        ? "with that id" : value.length() > 100 ? value.substring(0, 100) + "…" : value));
  }

  /**
   * A keyset cursor: the sort it belongs to, the sort key of the last row and its id, opaque to
   * clients (base64url).
   */
  public record Cursor(String sort, String key, String id) {

    public String encode() {
      String raw = sort + "\n" + key + "\n" + id;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String value, String sort) {
      if (value == null || value.isBlank()) {
        return null;
      }
      try {
        String raw = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
        List<String> parts = List.of(raw.split("\n", -1));
        if (parts.size() != 3 || parts.get(2).isEmpty() || ControlCharacters.containsControl(parts.get(1))
            || ControlCharacters.containsControl(parts.get(2))) {
          throw new IllegalArgumentException("shape");
        }
        if (!parts.get(0).equals(sort)) {
          throw new InvalidInputException("cursor", "belongs to sort " + parts.get(0) + ", not " + sort);
        }
        return new Cursor(parts.get(0), parts.get(1), parts.get(2));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("cursor", "is not a cursor this endpoint gave out");
      }
    }
  }
}
