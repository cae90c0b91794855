package dev.ordo.spring.readmodel;

import dev.ordo.consumer.Projection;
import java.sql.Connection;

/**
 * A projection into tables of the read database. Each generation gets a schema of its own; a batch
 * runs with that schema first on the {@code search_path}, so the projection names its tables
 * without a schema, and queries read them through views of the same names in {@code public}.
 */
public interface TableProjection extends Projection<Connection> {

  /** The statements creating the projection's tables and indexes, unqualified; run once per generation. */
  String tables();
}
