package dev.ordo.postgres;

import dev.ordo.projection.Projection;
import java.sql.Connection;

/**
 * A projection into tables of the read database. Each generation gets a schema of its own; the
 * runner sets the {@code search_path} to it, so the projection names its tables without a schema,
 * and queries read them through views of the same names in {@code public}.
 */
public interface TableProjection extends Projection<Connection> {

  /** The statements creating the projection's tables and indexes, unqualified; run once per generation. */
  String tables();
}
