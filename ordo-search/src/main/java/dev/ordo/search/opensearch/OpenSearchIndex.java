package dev.ordo.search.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.search.SearchGeneration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One generation of an index in OpenSearch ({@code <name>_g<N>}), with the consumer's checkpoint
 * in a document of its own ({@link #CHECKPOINT_ID}). Every write carries an external version, the
 * batch's: a write replayed after a failure is refused as a conflict (it is there already), and one
 * that would go back in time too.
 */
public final class OpenSearchIndex implements SearchGeneration {

  static final String CHECKPOINT_ID = "ordo:checkpoint";

  /** The committed checkpoint and the version it was written with. */
  record Checkpoint(String position, long version) {}

  private final OpenSearchHttp http;
  private final String name;
  private final int generation;
  private volatile boolean retired;

  OpenSearchIndex(OpenSearchHttp http, String name, int generation) {
    this.http = http;
    this.name = name;
    this.generation = generation;
  }

  /** The index's name in OpenSearch. */
  public String name() {
    return name;
  }

  @Override
  public int generation() {
    return generation;
  }

  @Override
  public boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }

  Optional<Checkpoint> checkpoint() throws IOException {
    JsonNode got = http.send("GET", "/" + name + "/_doc/" + CHECKPOINT_ID, null, 404);
    if (!got.path("found").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(new Checkpoint(got.path("_source").path(OpenSearchDocuments.CHECKPOINT).asText(),
        got.path("_version").asLong()));
  }

  /** The source of a document, as committed (real time: no refresh needed). */
  Optional<Map<String, Object>> get(String key) throws IOException {
    JsonNode got = http.send("GET", "/" + name + "/_doc/" + encode(key), null, 404);
    if (!got.path("found").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(source(got.path("_source")));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> source(JsonNode document) {
    return OpenSearchHttp.JSON.convertValue(document.path(OpenSearchDocuments.SOURCE), Map.class);
  }

  /**
   * Writes the documents (null: deleted) with {@code version}, then the checkpoint with the same
   * version, so the checkpoint is only there once everything before it is. A conflict on a
   * document means it holds this batch's write (a replay) or a later one: done either way.
   */
  void commit(Map<String, Map<String, Object>> documents, String checkpoint, long version) throws IOException {
    if (!documents.isEmpty()) {
      List<Object> lines = new ArrayList<>();
      for (Map.Entry<String, Map<String, Object>> document : documents.entrySet()) {
        Map<String, Object> target = Map.of("_id", document.getKey(), "version", version, "version_type", "external");
        if (document.getValue() == null) {
          lines.add(Map.of("delete", target));
        } else {
          lines.add(Map.of("index", target));
          lines.add(document.getValue());
        }
      }
      JsonNode answer = http.bulk("/" + name + "/_bulk", Map.of(), lines);
      if (answer.path("errors").asBoolean(false)) {
        for (JsonNode item : answer.path("items")) {
          JsonNode result = item.has("index") ? item.path("index") : item.path("delete");
          int status = result.path("status").asInt();
          boolean done = status < 300 || status == 409 || (item.has("delete") && status == 404);
          if (!done) {
            throw new OpenSearchHttp.Failure(status, "POST", "/" + name + "/_bulk", result.path("error").toString());
          }
        }
      }
    }
    try {
      http.request("PUT", "/" + name + "/_doc/" + encode(CHECKPOINT_ID),
          Map.of("version", Long.toString(version), "version_type", "external", "refresh", "true"),
          Map.of(OpenSearchDocuments.TYPE, CHECKPOINT_ID, OpenSearchDocuments.CHECKPOINT, checkpoint));
    } catch (OpenSearchHttp.Failure conflict) {
      // written already by this batch (its answer lost), or moved on by someone else
      if (conflict.status != 409) {
        throw conflict;
      }
      if (!checkpoint().map(Checkpoint::position).orElse("").equals(checkpoint)) {
        throw new IllegalStateException("the checkpoint of " + name + " moved meanwhile", conflict);
      }
    }
  }

  /**
   * Merges the documents replaced or deleted so far out of the index's segments (after the
   * checkpoint's refresh, so this batch's are among them), as far as OpenSearch lets it: the soft
   * deletes a shard's retention leases still cover (recent ones: the leases move on with the global
   * checkpoint, every 30 s or so) stay until a later merge, and the translog holds the operations
   * until it is trimmed. Measured on a one-node index: a few just-replaced documents survive the
   * expunge. A purge here is prompt, not immediate.
   */
  void expungeDeletes() throws IOException {
    http.request("POST", "/" + name + "/_forcemerge", Map.of("only_expunge_deletes", "true"), null);
  }

  static String encode(String key) {
    return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("%3A", ":");
  }
}
