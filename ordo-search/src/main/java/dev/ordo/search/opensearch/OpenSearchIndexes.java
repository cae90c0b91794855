package dev.ordo.search.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchGeneration;
import dev.ordo.search.SearchIndexes;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.korean.KoreanAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generations of one index in OpenSearch ({@code <name>_g1}, {@code <name>_g2}…) and which of
 * them answers: the alias {@code <name>}, moved in one {@code _aliases} request, so readers of the
 * alias never see a generation half built. A rebuild creates the next index with the same settings
 * and mappings beside the serving one; until a first generation caught up, nothing answers.
 *
 * <p>Searches time out after {@code timeout} (short: a slow engine is an unavailable one, the
 * caller answers another way); writes and administration get longer.
 */
public final class OpenSearchIndexes implements SearchIndexes {

  private final String name;
  private final OpenSearchDocuments documents;
  private final OpenSearchHttp reads;
  private final OpenSearchHttp writes;
  private final OpenSearchSearch engine;
  private volatile OpenSearchIndex serving;
  private volatile OpenSearchIndex building;

  private OpenSearchIndexes(URI url, String name, OpenSearchDocuments documents, Duration timeout) {
    this.name = name;
    this.documents = documents;
    this.reads = new OpenSearchHttp(url, timeout);
    this.writes = new OpenSearchHttp(url, Duration.ofSeconds(30));
    this.engine = new OpenSearchSearch(this::serving, documents, reads);
  }

  /**
   * Opens the generations of {@code name} at {@code url}, dropping those older than the serving one
   * and resuming a rebuild a stop interrupted; creates a first generation when there is none.
   */
  public static OpenSearchIndexes open(URI url, String name, List<SearchSchema> schemas, KoreanAnalysis analysis,
      Duration timeout) {
    OpenSearchIndexes indexes = new OpenSearchIndexes(url, name, new OpenSearchDocuments(schemas, analysis), timeout);
    try {
      indexes.load();
    } catch (IOException e) {
      indexes.close();
      throw new UncheckedIOException("cannot open the search index " + name + " at " + url, e);
    }
    return indexes;
  }

  private void load() throws IOException {
    List<Integer> generations = new ArrayList<>();
    for (JsonNode index : writes.request("GET", "/_cat/indices/" + name + "_g*", Map.of("format", "json", "h", "index"),
        null)) {
      String indexName = index.path("index").asText();
      if (indexName.matches(java.util.regex.Pattern.quote(name) + "_g\\d+")) {
        generations.add(Integer.parseInt(indexName.substring(name.length() + 2)));
      }
    }
    generations.sort(Integer::compare);
    int serving = 0;
    JsonNode aliased = writes.send("GET", "/_alias/" + name, null, 404);
    for (var entries = aliased.fieldNames(); entries.hasNext(); ) {
      String index = entries.next();
      if (index.startsWith(name + "_g")) {
        serving = Math.max(serving, Integer.parseInt(index.substring(name.length() + 2)));
      }
    }
    for (int generation : generations) {
      if (generation < serving) {
        writes.send("DELETE", "/" + index(generation), null, 404);
      }
    }
    if (serving > 0) {
      this.serving = new OpenSearchIndex(writes, index(serving), serving);
    }
    int newest = generations.stream().max(Integer::compare).orElse(0);
    if (newest > serving) {
      this.building = new OpenSearchIndex(writes, index(newest), newest);
    } else if (serving == 0) {
      this.building = create(1);
    }
  }

  private String index(int generation) {
    return name + "_g" + generation;
  }

  private OpenSearchIndex create(int generation) throws IOException {
    writes.send("PUT", "/" + index(generation), Map.of("settings", documents.settings(), "mappings",
        documents.mappings()));
    return new OpenSearchIndex(writes, index(generation), generation);
  }

  OpenSearchDocuments documents() {
    return documents;
  }

  OpenSearchHttp writes() {
    return writes;
  }

  @Override
  public SearchEngine engine() {
    return engine;
  }

  @Override
  public Optional<OpenSearchIndex> serving() {
    return Optional.ofNullable(serving);
  }

  @Override
  public Optional<OpenSearchIndex> building() {
    return Optional.ofNullable(building);
  }

  @Override
  public List<OpenSearchIndex> live() {
    List<OpenSearchIndex> live = new ArrayList<>();
    serving().ifPresent(live::add);
    building().ifPresent(live::add);
    return live;
  }

  @Override
  public synchronized OpenSearchIndex rebuild() {
    if (building != null) {
      throw new IllegalStateException("generation " + building.generation() + " is being built");
    }
    try {
      building = create(serving == null ? 1 : serving.generation() + 1);
      return building;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built generation answers from now on: the alias moves to it in one request; the one before is retired. */
  synchronized void takeOver(OpenSearchIndex built) throws IOException {
    if (built != building) {
      return;
    }
    List<Object> actions = new ArrayList<>();
    if (serving != null) {
      actions.add(Map.of("remove", Map.of("index", serving.name(), "alias", name)));
    }
    actions.add(Map.of("add", Map.of("index", built.name(), "alias", name)));
    writes.send("POST", "/_aliases", Map.of("actions", actions));
    OpenSearchIndex before = serving;
    serving = built;
    building = null;
    if (before != null) {
      before.retire();
    }
  }

  @Override
  public void drop(SearchGeneration generation) {
    OpenSearchIndex retired = (OpenSearchIndex) generation;
    if (!retired.retired()) {
      throw new IllegalArgumentException("generation " + retired.generation() + " still answers");
    }
    try {
      writes.send("DELETE", "/" + retired.name(), null, 404);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public <P> Target<IndexBatch, P> target(SearchGeneration generation, String name, Positions<P> positions,
      Checkpoints<P> parking) {
    return new OpenSearchTarget<>(this, (OpenSearchIndex) generation, name, positions, parking);
  }

  /** Whether the node answers within the search timeout. */
  @Override
  public boolean reachable() {
    try {
      reads.send("GET", "/", null);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    serving = null;
    building = null;
    reads.close();
    writes.close();
  }
}
