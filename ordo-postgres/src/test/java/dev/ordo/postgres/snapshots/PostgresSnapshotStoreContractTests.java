package dev.ordo.postgres.snapshots;

import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStoreContractTests;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.snapshot.SnapshotStore;
import dev.ordo.test.SnapshotStoreContract;
import dev.ordo.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;

class PostgresSnapshotStoreContractTests extends SnapshotStoreContract {

  private HikariDataSource dataSource;

  @Override
  protected SnapshotStore snapshotStore() {
    dataSource = PostgresEventStoreContractTests.pool(TestPostgres.createDatabase(), 2);
    OrdoMigrations.migrateLog(dataSource);
    return new PostgresSnapshotStore(dataSource);
  }

  @AfterEach
  void closePool() {
    dataSource.close();
  }
}
