package dev.ordo.catalog.legacy;

import dev.ordo.spring.problem.InvalidInputException;
import java.util.Locale;

/**
 * Where a legacy catalog is: a PostgreSQL JDBC URL, what may be shown of it, and the key that says
 * two URLs name the same database (one import at a time per source).
 *
 * @param url     as given, for the driver
 * @param display without its parameters, which may hold credentials: what the log and the answers show
 * @param key     host(s), port and database, lower-cased host
 */
record SourceUrl(String url, String display, String key) {

  static final String PREFIX = "jdbc:postgresql:";

  /** Accepts {@code jdbc:postgresql://host[:port][,host2…]/database[?…]} and {@code jdbc:postgresql:database}. */
  static SourceUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidInputException("url", "is required");
    }
    String trimmed = url.strip();
    if (!trimmed.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new InvalidInputException("url", "must be a PostgreSQL JDBC URL: jdbc:postgresql://host:port/database");
    }
    if (trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidInputException("url", "must not hold control characters");
    }
    String rest = trimmed.substring(PREFIX.length());
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    String authority;
    String database;
    if (path.startsWith("//")) {
      int slash = path.indexOf('/', 2);
      authority = slash < 0 ? path.substring(2) : path.substring(2, slash);
      database = slash < 0 ? "" : path.substring(slash + 1);
    } else {
      authority = "localhost";
      database = path;
    }
    if (authority.contains("@")) {
      throw new InvalidInputException("url", "must not hold credentials: give them as user and password");
    }
    if (authority.isBlank() || database.isBlank() || database.contains("/")) {
      throw new InvalidInputException("url", "must name a host and a database: jdbc:postgresql://host:port/database");
    }
    String hosts = authority.toLowerCase(Locale.ROOT);
    String key = hosts.contains(":") || hosts.contains(",") ? hosts : hosts + ":5432";
    return new SourceUrl(trimmed, PREFIX + "//" + authority + "/" + database, key + "/" + database);
  }

  @Override
  public String toString() {
    return display;
  }
}
