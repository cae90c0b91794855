package dev.ordo.app;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Where the data lives. {@code ORDO_DB_URL} (with {@code ORDO_DB_USER}, {@code ORDO_DB_PASSWORD})
 * names an external PostgreSQL, {@code ORDO_READ_DB_URL} the read database (default: the same);
 * without them, PostgreSQL runs embedded with its data under {@code ORDO_DATA_DIR} (default
 * {@code ./data}), the read models in a second database of it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  @Bean(destroyMethod = "close")
  Database database(
      @Value("${ordo.db.url:}") String url,
      @Value("${ordo.read.db.url:}") String readUrl,
      @Value("${ordo.db.user:postgres}") String user,
      @Value("${ordo.db.password:}") String password,
      @Value("${ordo.data.dir:./data}") Path dataDirectory,
      @Value("${ordo.db.pool-size:24}") int poolSize) {
    return url.isBlank()
        ? Database.embedded(dataDirectory, poolSize)
        : Database.external(url, readUrl, user, password.isBlank() ? null : password, poolSize);
  }

  /** The write database, closed with the {@link Database} that owns it. */
  @Bean(destroyMethod = "")
  @Primary
  DataSource dataSource(Database database) {
    return database.dataSource();
  }

  /** The read database ({@code ORDO_READ_DB_URL}; by default the write database's URL). */
  @Bean(destroyMethod = "")
  DataSource readDataSource(Database database) {
    return database.readDataSource();
  }
}
