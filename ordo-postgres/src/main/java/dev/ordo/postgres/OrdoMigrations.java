package dev.ordo.postgres;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a database up to the schema this build needs; safe to run at every start. */
public final class OrdoMigrations {

  private OrdoMigrations() {}

  /** The write database: the log and snapshots. */
  public static void migrateLog(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        // several histories may share a schema (one database for log and read models): none is alone
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .locations("classpath:db/ordo/log")
        .table("ordo_log_schema_history")
        .load()
        .migrate();
  }

  /** The read database: projection checkpoints (each read model brings its own tables). */
  public static void migrateReadModel(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        // several histories may share a schema (one database for log and read models): none is alone
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .locations("classpath:db/ordo/read")
        .table("ordo_read_schema_history")
        .load()
        .migrate();
  }
}
