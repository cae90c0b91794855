package dev.ordo.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.korean.KoreanAnalysis;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every engine must do with the same documents and queries (the conformance suite of {@link
 * SearchIndexes} and {@link SearchEngine}): Korean queries, highlights, facets, pages, suggestions,
 * related documents, generations. An engine's tests extend it and say how to open a fresh index.
 */
public abstract class SearchEngineContract {

  protected static final SearchSchema PRODUCT = new SearchSchema("product", "name", Field.text("name", 3),
      Field.text("tags", 2), Field.text("store", 1), Field.keyword("category"), Field.keyword("status"),
      Field.number("price"), Field.number("orders"), Field.identifier("code", 2));

  protected static final KoreanAnalysis ANALYSIS = KoreanAnalysis.defaults();

  protected static final SearchIndexes.Positions<Long> POSITIONS = new SearchIndexes.Positions<>(0L,
      String::valueOf, Long::valueOf, p -> p);

  /** Parks nothing: no test here fails an event. */
  protected static final Checkpoints<Long> NO_PARKING = new Checkpoints<>() {
    public Optional<Long> load(String consumer) { return Optional.empty(); }
    public void save(String consumer, Optional<Long> from, Long to) {}
    public Optional<Target.Lease> lead(String consumer) { return Optional.empty(); }
    public void park(String c, RecordedEvent e, Long p, String error, int attempts, boolean blocking) {
      throw new AssertionError(error);
    }
    public boolean blocked(String consumer) { return false; }
  };

  protected SearchIndexes indexes;
  protected long position;

  /** A fresh, empty index of {@link #PRODUCT}s (its first generation being built). */
  protected abstract SearchIndexes open();

  @BeforeEach
  void fill() throws Exception {
    indexes = open();
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

  protected interface Writes {
    void to(IndexBatch batch) throws Exception;
  }

  protected Target<IndexBatch, Long> target() {
    SearchGeneration generation = indexes.building().isPresent() ? indexes.building().get()
        : indexes.serving().orElseThrow();
    return target(generation);
  }

  protected Target<IndexBatch, Long> target(SearchGeneration generation) {
    return indexes.target(generation, "product_search", POSITIONS, NO_PARKING);
  }

  protected void write(Writes writes) throws Exception {
    write(target(), ++position, writes);
  }

  protected static void write(Target<IndexBatch, Long> target, long to, Writes writes) throws Exception {
    try (var tx = target.begin()) {
      writes.to(tx.work());
      tx.move(to, 1);
      tx.commit();
    }
  }

  protected void takeOver() throws Exception {
    target().takeOverIfDrained(at -> true);
  }

  protected static void product(IndexBatch batch, String id, String name, long price, String category,
      List<String> tags, long orders) {
    batch.put("product", id, Map.of("name", name, "price", price, "category", category, "tags", tags,
        "store", "스토어", "status", "ACTIVE", "orders", orders));
  }

  protected SearchResult search(String text) {
    return indexes.engine().search(new SearchQuery("product", text, Map.of("status", List.of("ACTIVE")), Map.of(),
        SearchQuery.Order.RELEVANCE, null, 10, List.of("category"), new SearchQuery.Buckets("price", new long[] {
            100_000, 1_000_000})));
  }

  protected List<String> ids(String text) {
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
  void anAccessoryTheQueryDoesNotAskForRanksLast() {
    assertThat(ids("갤럭시 S25")).containsExactly("p1", "p2");
    assertThat(ids("갤럭시 케이스").getFirst()).isEqualTo("p2");
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
  void aCodeIsFoundByAPieceOfItInAnyCaseWithoutItsPunctuation() throws Exception {
    write(batch -> batch.put("product", "p9", Map.of("name", "주문 상품", "code", "ORD-2024-0042", "status", "ACTIVE")));
    assertThat(ids("2024-004")).containsExactly("p9");
    assertThat(ids("ord2024")).containsExactly("p9");
    assertThat(ids("2024-005")).isEmpty();
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
  void filtersAndRangesNarrowWithoutScoring() {
    var query = new SearchQuery("product", "이어폰", Map.of("category", List.of("c-audio")),
        Map.of("price", new SearchQuery.Range(null, 100_000L)), SearchQuery.Order.RELEVANCE, null, 10, List.of(),
        null);
    assertThat(indexes.engine().search(query).hits()).extracting(SearchResult.Hit::id).containsExactly("p6");
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
  void pagesByRelevanceFollowEachOtherToo() {
    var first = indexes.engine().search(new SearchQuery("product", "갤럭시", Map.of(), Map.of(),
        SearchQuery.Order.RELEVANCE, null, 1, List.of(), null));
    var last = first.hits().getLast();
    var second = indexes.engine().search(new SearchQuery("product", "갤럭시", Map.of(), Map.of(),
        SearchQuery.Order.RELEVANCE, new SearchQuery.After(last.sortKey(), last.id()), 1, List.of(), null));
    assertThat(first.hits()).extracting(SearchResult.Hit::id).containsExactly("p1");
    assertThat(second.hits()).extracting(SearchResult.Hit::id).containsExactly("p2");
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
    assertThat(indexes.engine().related("product", "nobody", Map.of(), 3)).isEmpty();
  }

  @Test
  void aBatchReadsWhatWasCommittedThenWhatItWrote() throws Exception {
    write(batch -> {
      assertThat(batch.get("product", "p1")).hasValueSatisfying(s -> assertThat(s).containsEntry("category", "c-phone"));
      assertThat(batch.ids("product", "category", "c-audio")).containsExactlyInAnyOrder("p5", "p6");
      batch.delete("product", "p6");
      product(batch, "p8", "JBL 무선 이어폰", 99_000, "c-audio", List.of(), 1);
      assertThat(batch.ids("product", "category", "c-audio")).containsExactlyInAnyOrder("p5", "p8");
      assertThat(batch.get("product", "p6")).isEmpty();
    });
    assertThat(ids("이어폰")).containsExactlyInAnyOrder("p5", "p8");
    assertThat(target().checkpoint()).contains(position);
  }

  @Test
  void aBatchThatPurgesWritesAndReadsAsAnyOther() throws Exception {
    write(batch -> product(batch, "p9", "비밀 스마트폰", 1, "c-phone", List.of(), 0));

    write(batch -> {
      product(batch, "p9", "평범한 스마트폰", 1, "c-phone", List.of(), 0);
      batch.delete("product", "p6");
      batch.purge();
    });

    assertThat(ids("비밀")).isEmpty();
    assertThat(ids("평범한")).containsExactly("p9");
    assertThat(ids("무선")).containsExactly("p5");
    write(batch -> product(batch, "p10", "비밀 노트북", 1, "c-laptop", List.of(), 0));
    assertThat(ids("비밀")).containsExactly("p10");
  }

  @Test
  void aRebuildAnswersOnlyOnceItCaughtUpAndThenReplacesTheOldGeneration() throws Exception {
    SearchGeneration old = indexes.serving().orElseThrow();
    SearchGeneration building = indexes.rebuild();
    assertThatThrownBy(indexes::rebuild).isInstanceOf(IllegalStateException.class);
    var target = target(building);
    assertThat(target.building()).isTrue();
    write(target, 1L, batch -> product(batch, "p1", "삼성 갤럭시 S25 스마트폰 (새 세대)", 1, "c", List.of(), 0));
    assertThat(ids("세대")).isEmpty(); // the old generation still answers
    target.takeOverIfDrained(at -> true);
    assertThat(ids("세대")).containsExactly("p1");
    assertThat(old.retired()).isTrue();
    assertThat(indexes.serving().orElseThrow().generation()).isEqualTo(old.generation() + 1);
    indexes.drop(old);
  }

  @Test
  void nothingAnswersBeforeAFirstGenerationCaughtUp() {
    try (var fresh = open()) {
      assertThat(fresh.engine().available()).isFalse();
      assertThatThrownBy(() -> fresh.engine().search(new SearchQuery("product", "폰", Map.of(), Map.of(),
          SearchQuery.Order.RELEVANCE, null, 10, List.of(), null))).isInstanceOf(SearchUnavailableException.class);
    }
  }
}
