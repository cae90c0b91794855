package dev.ordo.search.lucene;

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
import dev.ordo.search.korean.KoreanAnalysis;
import dev.ordo.search.korean.KoreanHighlighter;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.StringDocValuesReaderState;
import org.apache.lucene.facet.StringValueFacetCounts;
import org.apache.lucene.facet.range.LongRange;
import org.apache.lucene.facet.range.LongRangeFacetCounts;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.queries.mlt.MoreLikeThis;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/** Searches the serving generation of an embedded index. */
final class LuceneSearch implements SearchEngine {

  private final Supplier<Optional<LuceneIndex>> serving;
  private final LuceneDocuments documents;
  private final LuceneQueries queries;
  private final KoreanHighlighter highlighter;
  private final KoreanAnalysis analysis;

  LuceneSearch(Supplier<Optional<LuceneIndex>> serving, LuceneDocuments documents, KoreanAnalysis analysis) {
    this.serving = serving;
    this.documents = documents;
    this.analysis = analysis;
    this.queries = new LuceneQueries(analysis);
    this.highlighter = new KoreanHighlighter(analysis);
  }

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public boolean available() {
    return serving.get().isPresent();
  }

  @FunctionalInterface
  private interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T read(Read<T> read) {
    LuceneIndex index = serving.get()
        .orElseThrow(() -> new SearchUnavailableException("the search index is being built", null));
    try {
      IndexSearcher searcher = index.acquire();
      try {
        return read.apply(searcher);
      } finally {
        index.release(searcher);
      }
    } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
      throw new SearchUnavailableException("the search index cannot be read", e);
    }
  }

  @Override
  public SearchResult search(SearchQuery query) {
    SearchSchema schema = documents.schema(query.type());
    return read(searcher -> {
      SearchResult exact = search(searcher, schema, query, queries.exact(schema, query.text()), false);
      if (exact.total() > 0) {
        return exact;
      }
      return search(searcher, schema, query, queries.corrected(schema, query.text()), true);
    });
  }

  private SearchResult search(IndexSearcher searcher, SearchSchema schema, SearchQuery query, Query words,
      boolean corrected) throws IOException {
    if (searcher.getIndexReader().maxDoc() == 0) {
      return new SearchResult(0, List.of(), Map.of(), List.of(), corrected);
    }
    Query matches = LuceneQueries.filtered(schema, query.filters(), query.ranges()).add(words, Occur.MUST).build();
    Sort sort = sort(schema, query.order());
    FacetsCollectorManager.FacetsResult result = query.after() == null
        ? FacetsCollectorManager.search(searcher, matches, query.size(), sort, true, new FacetsCollectorManager())
        : FacetsCollectorManager.searchAfter(searcher, after(query, searcher.getIndexReader().maxDoc()), matches, query.size(), sort, true,
            new FacetsCollectorManager());
    FacetsCollector matched = result.facetsCollector();
    long total = matched.getMatchingDocs().stream().mapToLong(m -> m.totalHits()).sum();
    List<Hit> hits = hits(searcher, result.topDocs(), schema, query.text(), corrected);
    Map<String, List<Count>> facets = new LinkedHashMap<>();
    for (String field : query.facets()) {
      facets.put(field, counts(searcher, matched, LuceneDocuments.field(schema, field)));
    }
    List<Bucket> buckets = query.priceRange() == null ? List.of()
        : buckets(matched, LuceneDocuments.field(schema, query.priceRange().field()), query.priceRange().bounds());
    return new SearchResult(total, hits, facets, buckets, corrected);
  }

  private static Sort sort(SearchSchema schema, SearchQuery.Order order) {
    if (order.field() == null) {
      return new Sort(SortField.FIELD_SCORE, new SortField(LuceneDocuments.ID, SortField.Type.STRING, true));
    }
    Field field = schema.field(order.field());
    SortField.Type type = switch (field.kind()) {
      case LONG -> SortField.Type.LONG;
      case DOUBLE -> SortField.Type.DOUBLE;
      default -> throw new IllegalArgumentException("cannot sort by " + field.name());
    };
    return new Sort(new SortField(LuceneDocuments.field(schema, field.name()), type, order.descending()),
        new SortField(LuceneDocuments.ID, SortField.Type.STRING, order.descending()));
  }

  /** After the cursor's hit: on equal keys (only the hit itself) the last document, so that one is passed. */
  private static ScoreDoc after(SearchQuery query, int documents) {
    SearchQuery.After after = query.after();
    Object key;
    try {
      key = query.order().field() == null ? (Object) Float.parseFloat(after.key())
          : after.key().contains(".") || after.key().contains("E") ? (Object) Double.parseDouble(after.key())
          : (Object) Long.parseLong(after.key());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the cursor's key " + after.key() + " is not a number", e);
    }
    float score = key instanceof Float f ? f : Float.NaN;
    return new FieldDoc(documents - 1, score, new Object[] {key, new BytesRef(after.id())});
  }

  private List<Hit> hits(IndexSearcher searcher, TopDocs top, SearchSchema schema, String text, boolean corrected)
      throws IOException {
    StoredFields stored = searcher.storedFields();
    List<Hit> hits = new ArrayList<>();
    for (ScoreDoc doc : top.scoreDocs) {
      Document document = stored.document(doc.doc);
      Map<String, Object> source = LuceneDocuments.source(document);
      String key = doc instanceof FieldDoc field && field.fields[0] != null ? field.fields[0].toString()
          : Float.toString(doc.score);
      Object title = schema.title() == null ? null : source.get(schema.title());
      String highlighted = title == null ? null
          : text == null ? KoreanHighlighter.plain(title.toString())
          : highlighter.highlight(title.toString(), text, corrected);
      hits.add(new Hit(document.get(LuceneDocuments.ID), source, key, highlighted));
    }
    return hits;
  }

  /**
   * The ordinals of a keyword field across the segments of one reader, built once per reader and
   * field (building them walks every segment's values): the last reader's only.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, StringDocValuesReaderState> states =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Object statesOf;

  private StringDocValuesReaderState state(IndexSearcher searcher, String field) throws IOException {
    Object reader = searcher.getIndexReader().getReaderCacheHelper().getKey();
    if (reader != statesOf) {
      synchronized (states) {
        if (reader != statesOf) {
          states.clear();
          statesOf = reader;
        }
      }
    }
    StringDocValuesReaderState state = states.get(field);
    if (state == null) {
      state = new StringDocValuesReaderState(searcher.getIndexReader(), field);
      if (reader == statesOf) {
        states.put(field, state);
      }
    }
    return state;
  }

  private List<Count> counts(IndexSearcher searcher, FacetsCollector matched, String field) throws IOException {
    StringDocValuesReaderState state = state(searcher, field);
    FacetResult result = new StringValueFacetCounts(state, matched).getAllChildren(field);
    List<Count> counts = new ArrayList<>();
    if (result != null) {
      for (LabelAndValue value : result.labelValues) {
        if (value.value.longValue() > 0) {
          counts.add(new Count(value.label, value.value.longValue()));
        }
      }
    }
    counts.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.value().compareTo(b.value()));
    return counts;
  }

  private static List<Bucket> buckets(FacetsCollector matched, String field, long[] bounds) throws IOException {
    LongRange[] ranges = new LongRange[bounds.length + 1];
    for (int i = 0; i <= bounds.length; i++) {
      long min = i == 0 ? Long.MIN_VALUE : bounds[i - 1];
      long max = i == bounds.length ? Long.MAX_VALUE : bounds[i];
      ranges[i] = new LongRange(Integer.toString(i), min, true, max, i == bounds.length);
    }
    FacetResult result = new LongRangeFacetCounts(field, matched, ranges).getAllChildren(field);
    List<Bucket> counted = new ArrayList<>();
    for (int i = 0; i <= bounds.length; i++) {
      counted.add(new Bucket(i == 0 ? 0 : bounds[i - 1], i == bounds.length ? null : bounds[i],
          result.labelValues[i].value.longValue()));
    }
    return counted;
  }

  @Override
  public List<Hit> suggest(String type, String prefix, Map<String, List<String>> filters, String popularity, int size) {
    SearchSchema schema = documents.schema(type);
    Query query = LuceneQueries.filtered(schema, filters, Map.of()).add(LuceneQueries.prefixes(schema, prefix), Occur.MUST)
        .build();
    Sort sort = popularity == null ? new Sort(new SortField(LuceneDocuments.ID, SortField.Type.STRING))
        : new Sort(new SortField(LuceneDocuments.field(schema, popularity), SortField.Type.LONG, true), new SortField(LuceneDocuments.ID, SortField.Type.STRING));
    return read(searcher -> {
      TopDocs top = searcher.search(query, size, sort);
      return hits(searcher, top, schema, null, false);
    });
  }

  @Override
  public List<Hit> related(String type, String id, Map<String, List<String>> filters, int size) {
    SearchSchema schema = documents.schema(type);
    return read(searcher -> {
      TopDocs self = searcher.search(new TermQuery(LuceneDocuments.key(type, id)), 1);
      if (self.scoreDocs.length == 0) {
        return List.of();
      }
      Map<String, Object> source = LuceneDocuments.source(searcher.storedFields().document(self.scoreDocs[0].doc));
      MoreLikeThis like = new MoreLikeThis(searcher.getIndexReader());
      like.setAnalyzer(analysis.index());
      like.setMinTermFreq(1);
      like.setMinDocFreq(1);
      like.setMaxQueryTerms(20);
      BooleanQuery.Builder similar = new BooleanQuery.Builder();
      for (Field field : schema.fields(Kind.TEXT)) {
        Object value = source.get(field.name());
        if (value == null) {
          continue;
        }
        String text = value instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
            : value.toString();
        String name = LuceneDocuments.field(schema, field.name());
        like.setFieldNames(new String[] {name});
        similar.add(new org.apache.lucene.search.BoostQuery(like.like(name, new StringReader(text)),
            field.boost()), Occur.SHOULD);
      }
      Query query = LuceneQueries.filtered(schema, filters, Map.of()).add(similar.build(), Occur.MUST)
          .add(new TermQuery(LuceneDocuments.key(type, id)), Occur.MUST_NOT).build();
      return hits(searcher, searcher.search(query, size), schema, null, false);
    });
  }
}
