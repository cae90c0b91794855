package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.spring.search.Searches;
import dev.ordo.test.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.ordo.search.node.LocalOpenSearch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relevance measured, not assumed (issue 13): the judged corpus (375 Korean products, 64 queries
 * with every product a shopper wants) registered over HTTP, each query asked of the embedded Lucene
 * index, of OpenSearch (a real node) and of the PostgreSQL search, scored. Precision@10 is the share of the first
 * min(10, relevant) hits that are relevant (a query with 3 relevant products is judged on its top
 * 3); recall the share of the relevant products found among the first 100. Seed 000's target is
 * Precision@10 above 0.9. The figures go to {@code target/search-relevance.json} and README.
 */
class SearchRelevanceIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode corpus;

  @TempDir
  static Path data;

  /** An app with the corpus registered: the ids it gave each key, the answer to the last command. */
  private record Registered(RunningApp app, Map<String, String> ids, RunningApp.Response last) {}

  private static Registered register(RunningApp app) {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode store : corpus.get("stores")) {
      ids.put(store.get("key").asString(), app.send("POST", "/api/v1/stores",
          JSON.writeValueAsString(Map.of("name", store.get("name").asString()))).createdId());
    }
    for (JsonNode category : corpus.get("categories")) { // parents come first in the file
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", category.get("name").asString());
      if (!category.get("parent").isNull()) {
        body.put("parentId", ids.get(category.get("parent").asString()));
      }
      ids.put(category.get("key").asString(), app.send("POST", "/api/v1/categories", JSON.writeValueAsString(body))
          .createdId());
    }
    RunningApp.Response last = null;
    for (JsonNode product : corpus.get("products")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("storeId", ids.get(product.get("store").asString()));
      body.put("categoryId", ids.get(product.get("category").asString()));
      body.put("name", product.get("name").asString());
      body.put("price", product.get("price").asLong());
      body.put("stockQuantity", 10);
      body.put("description", product.path("description").asString(""));
      body.put("tags", product.path("tags").valueStream().map(JsonNode::asString).toList());
      body.put("keywords", product.path("keywords").valueStream().map(JsonNode::asString).toList());
      last = app.send("POST", "/api/v1/products", JSON.writeValueAsString(body));
      ids.put(product.get("key").asString(), last.createdId());
    }
    return new Registered(app, ids, last);
  }

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = SearchRelevanceIntegrationTests.class.getResourceAsStream("/search/corpus.json")) {
      corpus = JSON.readTree(in);
    }
  }

  /** Precision@10 and recall of one engine over the corpus, in total and by kind of query. */
  record Score(String engine, double precision, double recall, Map<String, double[]> byKind, List<String> misses) {}

  private static Score score(Registered registered, String expectedEngine) {
    RunningApp app = registered.app();
    Map<String, String> ids = registered.ids();
    double precision = 0;
    double recall = 0;
    Map<String, double[]> byKind = new TreeMap<>();
    List<String> misses = new ArrayList<>();
    for (JsonNode query : corpus.get("queries")) {
      Set<String> relevant = new HashSet<>();
      query.get("relevant").forEach(key -> relevant.add(ids.get(key.asString())));
      var response = app.send("GET", "/api/v1/products/search?size=100&q="
          + URLEncoder.encode(query.get("q").asString(), StandardCharsets.UTF_8), null,
          "Ordo-Min-Position", registered.last().header("ordo-position"));
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.header("ordo-search-engine")).isEqualTo(expectedEngine);
      List<String> hits = new ArrayList<>();
      response.json().get("items").forEach(item -> hits.add(item.get("id").asString()));
      int judged = Math.min(10, relevant.size());
      long good = hits.stream().limit(judged).filter(relevant::contains).count();
      double p = (double) good / judged;
      double r = (double) hits.stream().filter(relevant::contains).count() / relevant.size();
      precision += p;
      recall += r;
      double[] kind = byKind.computeIfAbsent(query.get("kind").asString(), k -> new double[3]);
      kind[0] += p;
      kind[1] += r;
      kind[2]++;
      if (p < 1) {
        misses.add(query.get("q").asString());
      }
    }
    int n = corpus.get("queries").size();
    return new Score(expectedEngine, precision / n, recall / n, byKind, misses);
  }

  @Test
  void theIndexFindsWhatShoppersMeanAndPostgresqlDoesNot() throws Exception {
    assertThat(corpus.get("products").size()).isGreaterThanOrEqualTo(300);
    assertThat(corpus.get("queries").size()).isGreaterThanOrEqualTo(40);
    Score lucene;
    Score postgres;
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      Registered registered = register(app);
      lucene = score(registered, "lucene");
      Searches searches = app.bean(Searches.class);
      searches.stop(); // the index unavailable: the same queries answered by the PostgreSQL search
      try {
        postgres = score(registered, "postgres");
      } finally {
        searches.start();
      }
    }
    Score opensearch;
    try (LocalOpenSearch node = LocalOpenSearch.start(data.resolve("opensearch"));
        RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
            "ordo.search.url=" + node.url())) {
      Registered registered = register(app);
      opensearch = score(registered, "opensearch");
    }
    write(List.of(lucene, opensearch, postgres));
    for (Score engine : List.of(lucene, opensearch)) {
      assertThat(engine.precision()).as(engine.engine() + " Precision@10, missed: " + engine.misses())
          .isGreaterThan(0.9);
      assertThat(engine.recall()).as(engine.engine() + " recall").isGreaterThan(0.9);
      assertThat(engine.precision()).as("against PostgreSQL").isGreaterThan(postgres.precision());
      assertThat(engine.recall()).as("against PostgreSQL").isGreaterThan(postgres.recall());
    }
  }

  private static void write(List<Score> scores) throws IOException {
    StringBuilder json = new StringBuilder("{\n");
    for (int i = 0; i < scores.size(); i++) {
      Score s = scores.get(i);
      json.append("  \"").append(s.engine()).append("\": {\"precisionAt10\": ")
          .append(String.format(Locale.ROOT, "%.3f", s.precision())).append(", \"recall\": ")
          .append(String.format(Locale.ROOT, "%.3f", s.recall())).append(", \"byKind\": {");
      List<String> kinds = new ArrayList<>();
      s.byKind().forEach((kind, v) -> kinds.add(String.format(Locale.ROOT,
          "\"%s\": {\"precisionAt10\": %.3f, \"recall\": %.3f, \"queries\": %d}", kind, v[0] / v[2], v[1] / v[2],
          (int) v[2])));
      json.append(String.join(", ", kinds)).append("}}").append(i + 1 < scores.size() ? ",\n" : "\n");
    }
    json.append("}\n");
    Path out = Path.of("target/search-relevance.json");
    Files.writeString(out, json);
    System.out.println("search relevance over the judged corpus:\n" + json);
  }
}
