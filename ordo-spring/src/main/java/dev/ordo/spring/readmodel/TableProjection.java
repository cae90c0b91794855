package dev.ordo.spring.readmodel;

import dev.ordo.consumer.Projection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/**
 * A projection into tables of the read database. Each generation gets a schema of its own; a batch
 * runs with that schema first on the {@code search_path}, so the projection names its tables
 * without a schema, and queries read them through views of the same names in {@code public}.
 */
public interface TableProjection extends Projection<Connection> {

  /** The statements creating the projection's tables and indexes, unqualified; run once per generation. */
  String tables();

  /** A projection's table definitions from a file on the class path (migrations are files). */
  static String tablesFrom(String path) {
    try (InputStream in = TableProjection.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
