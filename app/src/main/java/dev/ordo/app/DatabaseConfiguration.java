package dev.ordo.app;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the data lives. {@code ORDO_DB_URL} (with {@code ORDO_DB_USER}, {@code ORDO_DB_PASSWORD})
 * names an external PostgreSQL; without it, PostgreSQL runs embedded with its data under
 * {@code ORDO_DATA_DIR} (default {@code ./data}).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  @Bean(destroyMethod = "close")
  Database database(
      @Value("${ordo.db.url:}") String url,
      @Value("${ordo.db.user:postgres}") String user,
      @Value("${ordo.db.password:}") String password,
      @Value("${ordo.data.dir:./data}") Path dataDirectory,
      @Value("${ordo.db.pool-size:24}") int poolSize) {
    return url.isBlank()
        ? Database.embedded(dataDirectory, poolSize)
        : Database.external(url, user, password.isBlank() ? null : password, poolSize);
  }

  /** Closed with the {@link Database} that owns it. */
  @Bean(destroyMethod = "")
  DataSource dataSource(Database database) {
    return database.dataSource();
  }
}
