package dev.ordo.bench;

import dev.ordo.catalog.CatalogConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The app's command side as the benchmarks run it: the same auto-configuration, catalog and
 * generic command endpoint as {@code app}, on the benchmark's database.
 */
@SpringBootApplication
@Import(CatalogConfiguration.class)
class BenchApplication {}
