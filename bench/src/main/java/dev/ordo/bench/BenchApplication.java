package dev.ordo.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.catalog.CatalogConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The app's command side as the benchmarks run it: the same auto-configuration, catalog and
 * generic command endpoint as {@code app}, on the benchmark's database.
 */
@SpringBootApplication
@Import(CatalogConfiguration.class)
class BenchApplication {

  /** The read models share the benchmark's database, as they do by default with ORDO_DB_URL. */
  @Bean(destroyMethod = "close")
  HikariDataSource readDataSource(DataSourceProperties properties) {
    HikariDataSource read = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    read.setPoolName("ordo-read");
    read.setMaximumPoolSize(24); // as the app's read pool
    return read;
  }
}
