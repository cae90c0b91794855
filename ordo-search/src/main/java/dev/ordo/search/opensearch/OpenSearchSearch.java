package dev.ordo.search.opensearch;

import static dev.ordo.search.opensearch.OpenSearchDocuments.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchResult;
import dev.ordo.search.SearchResult.Bucket;
import dev.ordo.search.SearchResult.Count;
import dev.ordo.search.SearchResult.Hit;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.SearchSchema.Kind;
import dev.ordo.search.SearchUnavailableException;
import dev.ordo.search.korean.KoreanHighlighter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Searches the serving generation of an index in OpenSearch, with the embedded engine's semantics:
 * facets as {@code terms} and {@code range} aggregations over every match, pages by {@code
 * search_after} on the sort key and id, suggestions by letter prefixes, related documents by {@code
 * more_like_this}, highlights by {@link KoreanHighlighter} from the title and the query. Any failure
 * to get an answer (unreachable, timed out, failing) is {@link SearchUnavailableException}.
 */
final class OpenSearchSearch implements SearchEngine {

  private static final String FACET = "facet_";
  private static final String BUCKETS = "buckets";

  private final Supplier<Optional<OpenSearchIndex>> serving;
  private final OpenSearchDocuments documents;
  private final OpenSearchHttp http;
  private final OpenSearchQueries queries;
  private final KoreanHighlighter highlighter;

  OpenSearchSearch(Supplier<Optional<OpenSearchIndex>> serving, OpenSearchDocuments documents, OpenSearchHttp http) {
    this.serving = serving;
    this.documents = documents;
    this.http = http;
    this.queries = new OpenSearchQueries(documents.analysis());
    this.highlighter = new KoreanHighlighter(documents.analysis());
  }

  @Override
  public String name() {
    return "opensearch";
  }

  @Override
  public boolean available() {
    return serving.get().isPresent();
  }

  @FunctionalInterface
  private interface Read<T> {
    T apply(OpenSearchIndex index) throws IOException;
  }

  private <T> T read(Read<T> read) {
    OpenSearchIndex index = serving.get()
        .orElseThrow(() -> new SearchUnavailableException("the search index is being built", null));
    try {
      return read.apply(index);
    } catch (IOException | UncheckedIOException e) {
      throw new SearchUnavailableException("OpenSearch does not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public SearchResult search(SearchQuery query) {
    SearchSchema schema = documents.schema(query.type());
    return read(index -> {
      SearchResult exact = search(index, schema, query, queries.exact(schema, query.text()), false);
      if (exact.total() > 0) {
        return exact;
      }
      return search(index, schema, query, queries.corrected(schema, query.text()), true);
    });
  }

  private SearchResult search(OpenSearchIndex index, SearchSchema schema, SearchQuery query, Map<String, Object> words,
      boolean corrected) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", Map.of("bool", Map.of("filter", OpenSearchQueries.filtered(schema, query.filters(),
        query.ranges()), "must", List.of(words))));
    body.put("size", query.size());
    body.put("track_total_hits", true);
    body.put("_source", List.of(OpenSearchDocuments.SOURCE, OpenSearchDocuments.ID));
    body.put("sort", sort(schema, query.order()));
    if (query.after() != null) {
      body.put("search_after", List.of(key(query), query.after().id()));
    }
    Map<String, Object> aggregations = new LinkedHashMap<>();
    for (String facet : query.facets()) {
      aggregations.put(FACET + facet, Map.of("terms", Map.of("field", field(schema.type(), facet), "size", 1000)));
    }
    if (query.priceRange() != null) {
      aggregations.put(BUCKETS, Map.of("range", Map.of("field", field(schema.type(), query.priceRange().field()),
          "ranges", ranges(query.priceRange().bounds()))));
    }
    if (!aggregations.isEmpty()) {
      body.put("aggs", aggregations);
    }
    JsonNode answer = http.send("POST", "/" + index.name() + "/_search", body);
    long total = answer.path("hits").path("total").path("value").asLong();
    List<Hit> hits = hits(answer, schema, query.text(), corrected);
    Map<String, List<Count>> facets = new LinkedHashMap<>();
    for (String facet : query.facets()) {
      List<Count> counts = new ArrayList<>();
      for (JsonNode bucket : answer.path("aggregations").path(FACET + facet).path("buckets")) {
        counts.add(new Count(bucket.path("key").asText(), bucket.path("doc_count").asLong()));
      }
      counts.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
          : a.value().compareTo(b.value()));
      facets.put(facet, counts);
    }
    List<Bucket> buckets = new ArrayList<>();
    if (query.priceRange() != null) {
      long[] bounds = query.priceRange().bounds();
      JsonNode counted = answer.path("aggregations").path(BUCKETS).path("buckets");
      for (int i = 0; i <= bounds.length; i++) {
        buckets.add(new Bucket(i == 0 ? 0 : bounds[i - 1], i == bounds.length ? null : bounds[i],
            counted.path(i).path("doc_count").asLong()));
      }
    }
    return new SearchResult(total, hits, facets, buckets, corrected);
  }

  /** {@code [bounds[i-1], bounds[i])}, the first open below (counted from 0), the last open above. */
  private static List<Object> ranges(long[] bounds) {
    List<Object> ranges = new ArrayList<>();
    for (int i = 0; i <= bounds.length; i++) {
      Map<String, Object> range = new LinkedHashMap<>();
      if (i > 0) {
        range.put("from", bounds[i - 1]);
      }
      if (i < bounds.length) {
        range.put("to", bounds[i]);
      }
      ranges.add(range);
    }
    return ranges;
  }

  private static List<Object> sort(SearchSchema schema, SearchQuery.Order order) {
    if (order.field() == null) {
      return List.of(Map.of("_score", "desc"), Map.of(OpenSearchDocuments.ID, "desc"));
    }
    Field field = schema.field(order.field());
    if (field.kind() != Kind.LONG && field.kind() != Kind.DOUBLE) {
      throw new IllegalArgumentException("cannot sort by " + field.name());
    }
    String direction = order.descending() ? "desc" : "asc";
    return List.of(Map.of(field(schema.type(), field.name()), direction), Map.of(OpenSearchDocuments.ID, direction));
  }

  private static Object key(SearchQuery query) {
    String key = query.after().key();
    try {
      return query.order().field() == null || key.contains(".") || key.contains("E") ? (Object) Double.parseDouble(key)
          : (Object) Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the cursor's key " + key + " is not a number", e);
    }
  }

  private List<Hit> hits(JsonNode answer, SearchSchema schema, String text, boolean corrected) {
    List<Hit> hits = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      Map<String, Object> source = OpenSearchIndex.source(hit.path("_source"));
      JsonNode sort = hit.path("sort").path(0);
      String key = sort.isMissingNode() || sort.isNull() ? hit.path("_score").asText() : sort.asText();
      Object title = schema.title() == null ? null : source.get(schema.title());
      String highlighted = title == null ? null
          : text == null ? KoreanHighlighter.plain(title.toString())
          : highlighter.highlight(title.toString(), text, corrected);
      hits.add(new Hit(hit.path("_source").path(OpenSearchDocuments.ID).asText(), source, key, highlighted));
    }
    return hits;
  }

  @Override
  public List<Hit> suggest(String type, String prefix, Map<String, List<String>> filters, String popularity,
      int size) {
    SearchSchema schema = documents.schema(type);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", Map.of("bool", Map.of("filter", OpenSearchQueries.filtered(schema, filters, Map.of()),
        "must", List.of(OpenSearchQueries.prefixes(schema, prefix)))));
    body.put("size", size);
    body.put("_source", List.of(OpenSearchDocuments.SOURCE, OpenSearchDocuments.ID));
    body.put("sort", popularity == null ? List.of(Map.of(OpenSearchDocuments.ID, "asc"))
        : List.of(Map.of(field(type, popularity), "desc"), Map.of(OpenSearchDocuments.ID, "asc")));
    return read(index -> hits(http.send("POST", "/" + index.name() + "/_search", body), schema, null, false));
  }

  @Override
  public List<Hit> related(String type, String id, Map<String, List<String>> filters, int size) {
    SearchSchema schema = documents.schema(type);
    String key = OpenSearchDocuments.key(type, id);
    return read(index -> {
      Optional<Map<String, Object>> self = index.get(key);
      if (self.isEmpty()) {
        return List.of();
      }
      List<Object> similar = new ArrayList<>();
      for (Field field : schema.fields(Kind.TEXT)) {
        if (self.get().get(field.name()) == null) {
          continue;
        }
        similar.add(Map.of("more_like_this", Map.of("fields", List.of(field(type, field.name())),
            "like", List.of(Map.of("_index", index.name(), "_id", key)), "analyzer", "ko_index",
            "min_term_freq", 1, "min_doc_freq", 1, "max_query_terms", 20, "minimum_should_match", "1",
            "boost", field.boost())));
      }
      if (similar.isEmpty()) {
        return List.of();
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("query", Map.of("bool", Map.of("filter", OpenSearchQueries.filtered(schema, filters, Map.of()),
          "must", List.of(Map.of("bool", Map.of("should", similar))),
          "must_not", List.of(Map.of("ids", Map.of("values", List.of(key)))))));
      body.put("size", size);
      body.put("_source", List.of(OpenSearchDocuments.SOURCE, OpenSearchDocuments.ID));
      return hits(http.send("POST", "/" + index.name() + "/_search", body), schema, null, false);
    });
  }
}
