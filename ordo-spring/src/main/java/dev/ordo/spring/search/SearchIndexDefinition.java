package dev.ordo.spring.search;

import dev.ordo.consumer.Projection;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchSchema;
import java.util.List;

/**
 * A search index the application keeps: its name (in {@code GET /projections}, its directory), the
 * document types it holds, and the projection that writes them from the log. A bean of this type
 * is all a context declares; {@link Searches} opens, feeds, rebuilds and serves it.
 */
public record SearchIndexDefinition(String name, List<SearchSchema> schemas, Projection<IndexBatch> projection) {

  public SearchIndexDefinition {
    schemas = List.copyOf(schemas);
  }
}
