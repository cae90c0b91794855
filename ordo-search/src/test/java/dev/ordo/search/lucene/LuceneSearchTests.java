package dev.ordo.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchResult;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.SearchUnavailableException;
import dev.ordo.search.korean.KoreanAnalysis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded index on disk, written through its target as the consumer mechanism does. */
class LuceneSearchTests {

  static final SearchSchema PRODUCT = new SearchSchema("product", "name", Field.text("name", 3),
      Field.text("tags", 2), Field.text("store", 1), Field.keyword("category"), Field.keyword("status"),
      Field.number("price"), Field.number("orders"));

  static final KoreanAnalysis ANALYSIS = KoreanAnalysis.defaults();

  /** Parks nothing: no test here fails an event. */
  static final Checkpoints<Long> NO_PARKING = new Checkpoints<>() {
    public Optional<Long> load(String consumer) { return Optional.empty(); }
    public void save(String consumer, Optional<Long> from, Long to) {}
    public Optional<Target.Lease> lead(String consumer) { return Optional.empty(); }
    public void park(String c, RecordedEvent e, Long p, String error, int attempts, boolean blocking) {
      throw new AssertionError(error);
    }
    public boolean blocked(String consumer) { return false; }
  };

  @TempDir
  Path directory;

  LuceneIndexes indexes;
  long position;

  @BeforeEach
  void open() throws Exception {
    indexes = LuceneIndexes.open(directory, List.of(PRODUCT), ANALYSIS);
    write(batch -> {
      product(batch, "p1", "삼성 갤럭시 S25 스마트폰", 1_250_000, "c-phone", List.of("5G"), 30);
      product(batch, "p2", "갤럭시 S25 투명 케이스", 15_000, "c-case", List.of("케이스"), 80);
      product(batch, "p3", "LG 그램 16인치 노트북", 1_890_000, "c-laptop", List.of(), 10);
      product(batch, "p4", "노트북 파우치 15인치", 25_000, "c-bag", List.of(), 5);
      product(batch, "p5", "소니 무선 이어폰 WF-1000XM5", 350_000, "c-audio", List.of("블루투스"), 12);
      product(batch, "p6", "QCY 무선이어폰 T13", 25_000, "c-audio", List.of(), 40);
    });
    takeOver();
  }

  @AfterEach
  void close() {
    indexes.close();
  }

  interface Writes {
    void to(IndexBatch batch) throws Exception;
  }

  LuceneTarget<Long> target() {
    var index = indexes.building().or(indexes::serving).orElseThrow();
    return new LuceneTarget<>(indexes, index, "product_search", 0L, String::valueOf, Long::valueOf, NO_PARKING);
  }

  void write(Writes writes) throws Exception {
    var target = target();
    try (var tx = target.begin()) {
      writes.to(tx.work());
      tx.move(++position, 1);
      tx.commit();
    }
  }

  void takeOver() throws Exception {
    target().takeOverIfDrained(at -> true);
  }

  static void product(IndexBatch batch, String id, String name, long price, String category, List<String> tags,
      long orders) {
    batch.put("product", id, Map.of("name", name, "price", price, "category", category, "tags", tags,
        "store", "스토어", "status", "ACTIVE", "orders", orders));
  }

  SearchResult search(String text) {
    return indexes.engine().search(new SearchQuery("product", text, Map.of("status", List.of("ACTIVE")), Map.of(),
        SearchQuery.Order.RELEVANCE, null, 10, List.of("category"), new SearchQuery.Buckets("price", new long[] {
            100_000, 1_000_000})));
  }

  List<String> ids(String text) {
    return search(text).hits().stream().map(SearchResult.Hit::id).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"갤럭시를", "스마트폰을", "삼성갤럭시", "핸드폰", "휴대폰", "galaxy", "겔럭시 스마트폰", "Samsung 폰"})
  void theQueriesOfTheIssueFindThePhone(String query) {
    assertThat(ids(query)).as(query).contains("p1");
  }

  @Test
  void synonymsAndParticlesDoNotBringTheDistractors() {
    assertThat(ids("핸드폰")).containsExactly("p1");
    assertThat(ids("노트북을")).containsExactlyInAnyOrder("p3", "p4");
    assertThat(ids("랩탑")).containsExactlyInAnyOrder("p3", "p4");
  }

  @Test
  void spacingDoesNotMatter() {
    assertThat(ids("무선이어폰")).containsExactlyInAnyOrder("p5", "p6");
    assertThat(ids("무선 이어폰")).containsExactlyInAnyOrder("p5", "p6");
  }

  @Test
  void aTypoIsCorrectedOnlyWhenNothingMatchesAsTyped() {
    SearchResult typo = search("겔럭시");
    assertThat(typo.corrected()).isTrue();
    assertThat(typo.hits()).extracting(SearchResult.Hit::id).containsExactlyInAnyOrder("p1", "p2");
    assertThat(typo.hits().stream().filter(h -> h.id().equals("p1")).findFirst().orElseThrow().highlighted())
        .isEqualTo("삼성 <em>갤럭시</em> S25 스마트폰");
    assertThat(search("갤럭시").corrected()).isFalse();
  }

  @Test
  void theMatchedWordsAreHighlightedAndEscaped() throws Exception {
    write(batch -> product(batch, "p7", "<b>갤럭시</b> 워치 & 밴드", 300_000, "c-watch", List.of(), 0));
    assertThat(search("갤럭시 워치").hits().getFirst().highlighted())
        .isEqualTo("&lt;b&gt;<em>갤럭시</em>&lt;/b&gt; <em>워치</em> &amp; 밴드");
    assertThat(search("핸드폰").hits().getFirst().highlighted()).isEqualTo("삼성 갤럭시 S25 <em>스마트폰</em>");
  }

  @Test
  void facetsCountEveryMatchNotJustThePage() {
    SearchResult result = indexes.engine().search(new SearchQuery("product", "갤럭시", Map.of(), Map.of(),
        SearchQuery.Order.RELEVANCE, null, 1, List.of("category"), new SearchQuery.Buckets("price",
            new long[] {100_000, 1_000_000})));
    assertThat(result.total()).isEqualTo(2);
    assertThat(result.hits()).hasSize(1);
    assertThat(result.facets().get("category")).extracting(SearchResult.Count::value)
        .containsExactlyInAnyOrder("c-phone", "c-case");
    assertThat(result.buckets()).extracting(SearchResult.Bucket::count).containsExactly(1L, 0L, 1L);
  }

  @Test
  void pagesFollowEachOtherByKeyWithoutRepeats() {
    var order = new SearchQuery.Order("price", false);
    var first = indexes.engine().search(new SearchQuery("product", "이어폰", Map.of(), Map.of(), order, null, 1,
        List.of(), null));
    var last = first.hits().getLast();
    var second = indexes.engine().search(new SearchQuery("product", "이어폰", Map.of(), Map.of(), order,
        new SearchQuery.After(last.sortKey(), last.id()), 1, List.of(), null));
    assertThat(first.hits()).extracting(SearchResult.Hit::id).containsExactly("p6");
    assertThat(second.hits()).extracting(SearchResult.Hit::id).containsExactly("p5");
  }

  @Test
  void suggestionsCompleteASyllableBeingTypedMostOrderedFirst() {
    var suggestions = indexes.engine().suggest("product", "갤러", Map.of(), "orders", 5);
    assertThat(suggestions).extracting(SearchResult.Hit::id).containsExactly("p2", "p1");
    assertThat(indexes.engine().suggest("product", "노트", Map.of(), "orders", 5)).extracting(SearchResult.Hit::id)
        .containsExactly("p3", "p4");
  }

  @Test
  void relatedProductsShareWords() {
    assertThat(indexes.engine().related("product", "p5", Map.of(), 3)).extracting(SearchResult.Hit::id)
        .first().isEqualTo("p6");
  }

  @Test
  void whatABatchWroteIsDurableWithItsCheckpointAndAFailedBatchLeavesNothing() throws Exception {
    var target = target();
    try (var tx = target.begin()) {
      product(tx.work(), "p9", "버려질 상품", 1, "c", List.of(), 0);
      tx.move(99L, 1);
      // no commit: closed
    }
    indexes.close();
    indexes = LuceneIndexes.open(directory, List.of(PRODUCT), ANALYSIS);
    assertThat(target().checkpoint()).contains(position);
    assertThat(ids("상품")).isEmpty();
    assertThat(ids("갤럭시")).contains("p1", "p2");
  }

  @Test
  void aRebuildAnswersOnlyOnceItCaughtUpAndThenReplacesTheOldGeneration() throws Exception {
    var old = indexes.serving().orElseThrow();
    var building = indexes.rebuild();
    assertThatThrownBy(indexes::rebuild).isInstanceOf(IllegalStateException.class);
    var target = new LuceneTarget<>(indexes, building, "product_search", 0L, String::valueOf, Long::valueOf, NO_PARKING);
    assertThat(target.building()).isTrue();
    try (var tx = target.begin()) {
      product(tx.work(), "p1", "삼성 갤럭시 S25 스마트폰 (새 세대)", 1, "c", List.of(), 0);
      tx.move(1L, 1);
      tx.commit();
    }
    assertThat(ids("세대")).isEmpty(); // the old generation still answers
    target.takeOverIfDrained(at -> true);
    assertThat(ids("세대")).containsExactly("p1");
    assertThat(old.retired()).isTrue();
    indexes.drop(old);
    assertThat(directory.resolve("g1")).doesNotExist();
    indexes.close();
    indexes = LuceneIndexes.open(directory, List.of(PRODUCT), ANALYSIS);
    assertThat(indexes.serving().orElseThrow().generation()).isEqualTo(2);
  }

  @Test
  void nothingAnswersBeforeAFirstGenerationCaughtUp(@TempDir Path empty) {
    try (var fresh = LuceneIndexes.open(empty, List.of(PRODUCT), ANALYSIS)) {
      assertThat(fresh.engine().available()).isFalse();
      assertThatThrownBy(() -> fresh.engine().search(new SearchQuery("product", "폰", Map.of(), Map.of(),
          SearchQuery.Order.RELEVANCE, null, 10, List.of(), null))).isInstanceOf(SearchUnavailableException.class);
    }
  }
}
