package dev.ordo.search.lucene;

import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.korean.KoreanAnalysis;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.json.JsonMapper;

/**
 * A source as Lucene fields. A text field {@code f} is indexed as morphemes in {@code f} and as
 * whole words' letters in {@code f.w}; the title also as its morphemes' letters in {@code f.l},
 * without spaces in {@code f.c} and as letter prefixes in {@code f.p}. Keywords are terms and
 * sorted doc values, numbers points and doc values, and the whole source is stored in {@code
 * _source}.
 */
final class LuceneDocuments {

  static final String TYPE = "_type";
  static final String KEY = "_key";
  static final String ID = "_id";
  static final String SOURCE = "_source";
  static final String LETTERS = ".l";
  static final String WORD_LETTERS = ".w";
  static final String COMPACT = ".c";
  static final String PREFIXES = ".p";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, SearchSchema> schemas;
  private final Analyzer analyzer;

  LuceneDocuments(List<SearchSchema> schemas, KoreanAnalysis analysis) {
    this.schemas = schemas.stream().collect(java.util.stream.Collectors.toMap(SearchSchema::type, s -> s));
    this.analyzer = new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
      @Override
      protected Analyzer getWrappedAnalyzer(String field) {
        if (field.endsWith(LETTERS)) {
          return analysis.letters();
        }
        if (field.endsWith(WORD_LETTERS)) {
          return analysis.wordLetters();
        }
        if (field.endsWith(COMPACT)) {
          return analysis.compact();
        }
        return field.endsWith(PREFIXES) ? analysis.prefixes() : analysis.index();
      }
    };
  }

  Analyzer analyzer() {
    return analyzer;
  }

  SearchSchema schema(String type) {
    SearchSchema schema = schemas.get(type);
    if (schema == null) {
      throw new IllegalArgumentException("no document type " + type + " in this index");
    }
    return schema;
  }

  /** A field of a type as Lucene names it: types in one index never share a field ({@code product.name}). */
  static String field(String type, String name) {
    return type + "." + name;
  }

  static String field(SearchSchema schema, String name) {
    return field(schema.type(), name);
  }

  static Term key(String type, String id) {
    return new Term(KEY, type + ":" + id);
  }

  Document document(String type, String id, Map<String, Object> source) {
    SearchSchema schema = schema(type);
    Document document = new Document();
    document.add(new StringField(TYPE, type, org.apache.lucene.document.Field.Store.NO));
    document.add(new StringField(KEY, type + ":" + id, org.apache.lucene.document.Field.Store.NO));
    document.add(new StringField(ID, id, org.apache.lucene.document.Field.Store.YES));
    document.add(new SortedDocValuesField(ID, new BytesRef(id)));
    document.add(new StoredField(SOURCE, JSON.writeValueAsBytes(source)));
    for (Field field : schema.fields()) {
      for (Object value : values(source.get(field.name()))) {
        String name = field(type, field.name());
        switch (field.kind()) {
          case TEXT -> {
            String text = value.toString();
            document.add(new TextField(name, text, org.apache.lucene.document.Field.Store.NO));
            document.add(new TextField(name + WORD_LETTERS, text, org.apache.lucene.document.Field.Store.NO));
            if (field.name().equals(schema.title())) { // null title: no field equals it
              // morphemes in letters, for typos inside a compound: the title's only (Nori once more per field)
              document.add(new TextField(name + LETTERS, text, org.apache.lucene.document.Field.Store.NO));
              document.add(new TextField(name + COMPACT, text, org.apache.lucene.document.Field.Store.NO));
              document.add(new TextField(name + PREFIXES, text, org.apache.lucene.document.Field.Store.NO));
            }
          }
          case IDENTIFIER ->
              document.add(new TextField(name + COMPACT, value.toString(), org.apache.lucene.document.Field.Store.NO));
          case KEYWORD -> {
            document.add(new StringField(name, value.toString(), org.apache.lucene.document.Field.Store.NO));
            document.add(new SortedSetDocValuesField(name, new BytesRef(value.toString())));
          }
          case LONG -> {
            long number = ((Number) value).longValue();
            document.add(new LongPoint(name, number));
            document.add(new NumericDocValuesField(name, number));
          }
          case DOUBLE -> document.add(new DoubleDocValuesField(name, ((Number) value).doubleValue()));
        }
      }
    }
    return document;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> source(Document document) {
    BytesRef bytes = document.getBinaryValue(SOURCE);
    return JSON.readValue(bytes.bytes, bytes.offset, bytes.length, Map.class);
  }

  private static Collection<?> values(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof Collection<?> many ? many.stream().filter(v -> v != null).toList() : List.of(value);
  }
}
