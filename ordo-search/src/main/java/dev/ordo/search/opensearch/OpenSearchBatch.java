package dev.ordo.search.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.search.IndexBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch's documents, kept in memory until the batch commits (one {@code _bulk}): reads see the
 * last commit and then what the batch changed.
 */
final class OpenSearchBatch implements IndexBatch {

  private record Change(String type, String id, Map<String, Object> source) {}

  private final OpenSearchIndex index;
  private final OpenSearchDocuments documents;
  private final OpenSearchHttp http;
  private final Map<String, Change> changes = new LinkedHashMap<>();
  private boolean purge;

  OpenSearchBatch(OpenSearchIndex index, OpenSearchDocuments documents, OpenSearchHttp http) {
    this.index = index;
    this.documents = documents;
    this.http = http;
  }

  @Override
  public Optional<Map<String, Object>> get(String type, String id) {
    String key = OpenSearchDocuments.key(type, id);
    if (changes.containsKey(key)) {
      return Optional.ofNullable(changes.get(key).source()).map(LinkedHashMap::new);
    }
    try {
      return index.get(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void put(String type, String id, Map<String, Object> source) {
    documents.schema(type);
    changes.put(OpenSearchDocuments.key(type, id), new Change(type, id, new LinkedHashMap<>(source)));
  }

  @Override
  public void delete(String type, String id) {
    changes.put(OpenSearchDocuments.key(type, id), new Change(type, id, null));
  }

  @Override
  public void purge() {
    purge = true;
  }

  boolean purges() {
    return purge;
  }

  @Override
  public List<String> ids(String type, String field, String value) {
    Map<String, Boolean> ids = new LinkedHashMap<>();
    try {
      List<Object> after = null;
      while (true) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", 1000);
        body.put("_source", false);
        body.put("docvalue_fields", List.of(OpenSearchDocuments.ID));
        body.put("sort", List.of(Map.of(OpenSearchDocuments.ID, "asc")));
        body.put("query", Map.of("bool", Map.of("filter", List.of(
            Map.of("term", Map.of(OpenSearchDocuments.TYPE, type)),
            Map.of("term", Map.of(OpenSearchDocuments.field(type, field), value))))));
        if (after != null) {
          body.put("search_after", after);
        }
        JsonNode hits = http.send("POST", "/" + index.name() + "/_search", body).path("hits").path("hits");
        if (hits.isEmpty()) {
          break;
        }
        for (JsonNode hit : hits) {
          ids.put(hit.path("sort").path(0).asText(), true);
        }
        after = List.of(hits.get(hits.size() - 1).path("sort").path(0).asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Change change : changes.values()) {
      if (!change.type().equals(type)) {
        continue;
      }
      boolean holds = change.source() != null && holds(change.source().get(field), value);
      if (holds) {
        ids.put(change.id(), true);
      } else {
        ids.remove(change.id());
      }
    }
    return List.copyOf(ids.keySet());
  }

  private static boolean holds(Object values, String value) {
    return values instanceof List<?> list ? list.stream().anyMatch(v -> value.equals(String.valueOf(v)))
        : values != null && value.equals(values.toString());
  }

  /** The batch as documents by {@code _id}, null for a deletion. */
  Map<String, Map<String, Object>> documents() {
    Map<String, Map<String, Object>> written = new LinkedHashMap<>();
    for (Map.Entry<String, Change> change : changes.entrySet()) {
      Change c = change.getValue();
      written.put(change.getKey(), c.source() == null ? null : documents.document(c.type(), c.id(), c.source()));
    }
    return written;
  }
}
