package dev.ordo.search.lucene;

import dev.ordo.search.IndexBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * A batch's documents, kept in memory until the batch commits: reads see the last commit and then
 * what the batch changed, so a batch that fails leaves the index as it was.
 */
final class LuceneBatch implements IndexBatch {

  private record Change(String type, Map<String, Object> source) {}

  private final LuceneIndex index;
  private final Map<Term, Change> changes = new LinkedHashMap<>();
  private boolean purge;

  LuceneBatch(LuceneIndex index) {
    this.index = index;
  }

  @Override
  public Optional<Map<String, Object>> get(String type, String id) {
    Term key = LuceneDocuments.key(type, id);
    if (changes.containsKey(key)) {
      return Optional.ofNullable(changes.get(key).source()).map(LinkedHashMap::new);
    }
    return committed(new TermQuery(key), 1).stream().findFirst().map(Map.Entry::getValue);
  }

  @Override
  public void put(String type, String id, Map<String, Object> source) {
    index.documents().schema(type);
    changes.put(LuceneDocuments.key(type, id), new Change(type, new LinkedHashMap<>(source)));
  }

  @Override
  public void delete(String type, String id) {
    changes.put(LuceneDocuments.key(type, id), new Change(type, null));
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
    BooleanQuery query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(LuceneDocuments.TYPE, type)), Occur.FILTER)
        .add(new TermQuery(new Term(LuceneDocuments.field(type, field), value)), Occur.FILTER).build();
    Map<String, Boolean> ids = new LinkedHashMap<>();
    for (var hit : committed(query, Integer.MAX_VALUE)) {
      ids.put(hit.getKey(), true);
    }
    String prefix = type + ":";
    for (Map.Entry<Term, Change> change : changes.entrySet()) {
      String id = change.getKey().text().substring(prefix.length());
      if (!change.getKey().text().startsWith(prefix)) {
        continue;
      }
      Map<String, Object> source = change.getValue().source();
      boolean holds = source != null && holds(source.get(field), value);
      if (holds) {
        ids.put(id, true);
      } else {
        ids.remove(id);
      }
    }
    return List.copyOf(ids.keySet());
  }

  private static boolean holds(Object values, String value) {
    return values instanceof List<?> list ? list.stream().anyMatch(v -> value.equals(String.valueOf(v)))
        : values != null && value.equals(values.toString());
  }

  private List<Map.Entry<String, Map<String, Object>>> committed(org.apache.lucene.search.Query query, int max) {
    try {
      IndexSearcher searcher = index.acquire();
      try {
        TopDocs top = searcher.search(query, Math.max(1, Math.min(max, searcher.getIndexReader().maxDoc() + 1)));
        StoredFields stored = searcher.storedFields();
        List<Map.Entry<String, Map<String, Object>>> found = new ArrayList<>();
        for (ScoreDoc hit : top.scoreDocs) {
          Document document = stored.document(hit.doc);
          found.add(Map.entry(document.get(LuceneDocuments.ID), LuceneDocuments.source(document)));
        }
        return found;
      } finally {
        index.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The batch as Lucene documents, null for a deletion. */
  Map<Term, Document> documents() {
    Map<Term, Document> documents = new LinkedHashMap<>();
    for (Map.Entry<Term, Change> change : changes.entrySet()) {
      Change c = change.getValue();
      String id = change.getKey().text().substring(c.type().length() + 1);
      documents.put(change.getKey(), c.source() == null ? null : index.documents().document(c.type(), id, c.source()));
    }
    return documents;
  }
}
