package dev.ordo.search.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.search.SearchEngineContract;
import dev.ordo.search.SearchIndexes;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchUnavailableException;
import dev.ordo.search.node.LocalOpenSearch;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSearch with analysis-nori, a real node in a child JVM on loopback, written as the consumer mechanism does. */
class OpenSearchSearchTests extends SearchEngineContract {

  @TempDir
  static Path data;

  static LocalOpenSearch node;
  static final AtomicInteger INDEXES = new AtomicInteger();

  private String name;

  @BeforeAll
  static void startNode() {
    long started = System.nanoTime();
    node = LocalOpenSearch.start(data);
    System.out.printf("OpenSearch node green in %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Override
  protected SearchIndexes open() {
    name = "products" + INDEXES.incrementAndGet();
    return openAgain();
  }

  private OpenSearchIndexes openAgain() {
    return OpenSearchIndexes.open(URI.create(node.url()), name, List.of(PRODUCT), ANALYSIS, Duration.ofSeconds(10));
  }

  @Test
  void aReplayedBatchIsDoneAlreadyAndAnOlderVersionNeverOverwrites() throws Exception {
    long at = position;
    var target = target();
    // the same batch again, as after a lost answer: the documents conflict, which is success
    write(target, at, batch -> product(batch, "p1", "삼성 갤럭시 S25 스마트폰", 1_250_000, "c-phone", List.of(), 30));
    assertThat(target.checkpoint()).contains(at);
    write(batch -> product(batch, "p1", "삼성 갤럭시 S26 스마트폰", 1_350_000, "c-phone", List.of(), 30));
    assertThat(ids("S26")).containsExactly("p1");
  }

  @Test
  void theAliasNamesTheServingGenerationForTheNextProcess() throws Exception {
    var old = indexes.serving().orElseThrow();
    var building = indexes.rebuild();
    write(target(building), 1L, batch -> product(batch, "p1", "삼성 갤럭시 S25 스마트폰 (새 세대)", 1, "c", List.of(), 0));
    target(building).takeOverIfDrained(at -> true);
    indexes.drop(old);
    indexes.close();
    indexes = openAgain();
    assertThat(indexes.serving().orElseThrow().generation()).isEqualTo(2);
    assertThat(indexes.building()).isEmpty();
    assertThat(target().checkpoint()).contains(1L);
    assertThat(ids("세대")).containsExactly("p1");
  }

  @Test
  void anUnreachableEngineIsUnavailableQuickly() throws Exception {
    int nobody;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobody = socket.getLocalPort();
    }
    try (var http = new OpenSearchHttp(URI.create("http://127.0.0.1:" + nobody), Duration.ofSeconds(2))) {
      var engine = new OpenSearchSearch(() -> Optional.of(new OpenSearchIndex(http, "gone_g1", 1)),
          new OpenSearchDocuments(List.of(PRODUCT), ANALYSIS), http);
      long started = System.nanoTime();
      assertThatThrownBy(() -> engine.search(new SearchQuery("product", "폰", Map.of(), Map.of(),
          SearchQuery.Order.RELEVANCE, null, 10, List.of(), null))).isInstanceOf(SearchUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
