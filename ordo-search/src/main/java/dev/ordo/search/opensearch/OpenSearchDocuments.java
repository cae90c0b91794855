package dev.ordo.search.opensearch;

import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.korean.KoreanAnalysis;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source as an OpenSearch document, and the index settings that analyze it. Fields are named per
 * type as in the embedded engine: a type's fields sit under an object named after it ({@code
 * product.name}), so types in one index never share a field. What Lucene derives with its own
 * analyzers is computed here in Java and written as plain terms, so the node needs no plugin beyond
 * analysis-nori: a text field's morphemes in letters ({@code ordo_letters.product.name}), its whole
 * words in letters ({@code ordo_words…}), the title and identifiers without spaces or punctuation
 * ({@code ordo_compact…}, cut into two-character grams by the node) and the title's letter prefixes ({@code ordo_prefixes…}). The
 * source as written is kept whole in {@code ordo_source}.
 */
final class OpenSearchDocuments {

  static final String TYPE = "ordo_type";
  static final String ID = "ordo_id";
  static final String SOURCE = "ordo_source";
  static final String CHECKPOINT = "ordo_checkpoint";
  static final String LETTERS = "ordo_letters";
  static final String WORDS = "ordo_words";
  static final String COMPACT = "ordo_compact";
  static final String PREFIXES = "ordo_prefixes";

  private final Map<String, SearchSchema> schemas = new LinkedHashMap<>();
  private final KoreanAnalysis analysis;

  OpenSearchDocuments(List<SearchSchema> schemas, KoreanAnalysis analysis) {
    schemas.forEach(s -> this.schemas.put(s.type(), s));
    this.analysis = analysis;
  }

  KoreanAnalysis analysis() {
    return analysis;
  }

  SearchSchema schema(String type) {
    SearchSchema schema = schemas.get(type);
    if (schema == null) {
      throw new IllegalArgumentException("no document type " + type + " in this index");
    }
    return schema;
  }

  static String field(String type, String name) {
    return type + "." + name;
  }

  static String derived(String kind, String type, String name) {
    return kind + "." + type + "." + name;
  }

  /** The document's {@code _id}: ids are unique per type only. */
  static String key(String type, String id) {
    return type + ":" + id;
  }

  /** Nori at index time (compounds split and kept) and at query time (parts only, synonyms), as {@link KoreanAnalysis}. */
  Map<String, Object> settings() {
    Map<String, Object> mixed = new LinkedHashMap<>(Map.of("type", "nori_tokenizer", "decompound_mode", "mixed"));
    // synonym_graph parses its rules with the tokenizer before it, and rejects the stacked parts "mixed" emits
    Map<String, Object> discard = new LinkedHashMap<>(Map.of("type", "nori_tokenizer", "decompound_mode", "discard"));
    if (!analysis.dictionaryRules().isEmpty()) {
      mixed.put("user_dictionary_rules", analysis.dictionaryRules());
      discard.put("user_dictionary_rules", analysis.dictionaryRules());
    }
    return Map.of(
        // a purge (IndexBatch.purge) rewrites every segment with a deleted document, not only those past 10%
        "index", Map.of("number_of_shards", 1, "number_of_replicas", 0,
            "merge", Map.of("policy", Map.of("expunge_deletes_allowed", 0))),
        "analysis", Map.of(
            "tokenizer", Map.of("ko_mixed", mixed, "ko_discard", discard,
                "ko_grams", Map.of("type", "ngram", "min_gram", 2, "max_gram", 2)),
            "filter", Map.of("ko_pos", Map.of("type", "nori_part_of_speech"),
                "ko_synonyms", Map.of("type", "synonym_graph", "synonyms", analysis.synonymRules())),
            "analyzer", Map.of(
                "ko_index", Map.of("type", "custom", "tokenizer", "ko_mixed", "filter", List.of("ko_pos", "lowercase")),
                "ko_search", Map.of("type", "custom", "tokenizer", "ko_discard",
                    "filter", List.of("ko_pos", "lowercase", "ko_synonyms")),
                "ko_compact", Map.of("type", "custom", "tokenizer", "ko_grams", "filter", List.of("lowercase")))));
  }

  Map<String, Object> mappings() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(TYPE, Map.of("type", "keyword"));
    properties.put(ID, Map.of("type", "keyword"));
    properties.put(SOURCE, Map.of("type", "object", "enabled", false));
    properties.put(CHECKPOINT, Map.of("type", "keyword", "index", false));
    Map<String, Object> letters = new LinkedHashMap<>();
    Map<String, Object> words = new LinkedHashMap<>();
    Map<String, Object> compact = new LinkedHashMap<>();
    Map<String, Object> prefixes = new LinkedHashMap<>();
    Map<String, Object> whitespace = Map.of("type", "text", "analyzer", "whitespace");
    for (SearchSchema schema : schemas.values()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (Field field : schema.fields()) {
        switch (field.kind()) {
          case TEXT -> fields.put(field.name(), Map.of("type", "text", "analyzer", "ko_index",
              "search_analyzer", "ko_search"));
          case IDENTIFIER -> {} // searched in its compact form only
          case KEYWORD -> fields.put(field.name(), Map.of("type", "keyword"));
          case LONG -> fields.put(field.name(), Map.of("type", "long"));
          case DOUBLE -> fields.put(field.name(), Map.of("type", "double"));
        }
      }
      properties.put(schema.type(), Map.of("properties", fields));
      Map<String, Object> typeLetters = new LinkedHashMap<>();
      schema.fields(SearchSchema.Kind.TEXT).forEach(f -> typeLetters.put(f.name(), whitespace));
      letters.put(schema.type(), Map.of("properties", typeLetters));
      words.put(schema.type(), Map.of("properties", typeLetters));
      Map<String, Object> typeCompact = new LinkedHashMap<>();
      Map<String, Object> grams = Map.of("type", "text", "analyzer", "ko_compact");
      schema.fields(SearchSchema.Kind.IDENTIFIER).forEach(f -> typeCompact.put(f.name(), grams));
      if (schema.title() != null) {
        typeCompact.put(schema.title(), grams);
        prefixes.put(schema.type(), Map.of("properties", Map.of(schema.title(), Map.of("type", "keyword"))));
      }
      compact.put(schema.type(), Map.of("properties", typeCompact));
    }
    properties.put(LETTERS, Map.of("properties", letters));
    properties.put(WORDS, Map.of("properties", words));
    properties.put(COMPACT, Map.of("properties", compact));
    properties.put(PREFIXES, Map.of("properties", prefixes));
    return Map.of("dynamic", false, "properties", properties);
  }

  Map<String, Object> document(String type, String id, Map<String, Object> source) {
    SearchSchema schema = schema(type);
    Map<String, Object> typed = new LinkedHashMap<>();
    Map<String, Object> letters = new LinkedHashMap<>();
    Map<String, Object> words = new LinkedHashMap<>();
    Map<String, Object> compact = new LinkedHashMap<>();
    Map<String, Object> prefixes = new LinkedHashMap<>();
    for (Field field : schema.fields()) {
      Collection<?> values = values(source.get(field.name()));
      if (values.isEmpty()) {
        continue;
      }
      switch (field.kind()) {
        case TEXT -> {
          List<String> texts = values.stream().map(Object::toString).toList();
          typed.put(field.name(), texts);
          words.put(field.name(), terms(analysis.wordLetters(), texts));
          if (field.name().equals(schema.title())) { // morphemes in letters: the title's only, as the embedded engine
            letters.put(field.name(), terms(analysis.letters(), texts));
            compact.put(field.name(), texts.stream().map(KoreanAnalysis::compacted).toList());
            prefixes.put(field.name(), texts.stream()
                .flatMap(t -> KoreanAnalysis.terms(analysis.prefixes(), t).stream()).distinct().toList());
          }
        }
        case IDENTIFIER -> compact.put(field.name(), values.stream().map(v -> KoreanAnalysis.compacted(v.toString()))
            .toList());
        case KEYWORD -> typed.put(field.name(), values.stream().map(Object::toString).toList());
        case LONG -> typed.put(field.name(), values.stream().map(v -> ((Number) v).longValue()).toList());
        case DOUBLE -> typed.put(field.name(), values.stream().map(v -> ((Number) v).doubleValue()).toList());
      }
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(TYPE, type);
    document.put(ID, id);
    document.put(SOURCE, source);
    document.put(type, typed);
    document.put(LETTERS, Map.of(type, letters));
    document.put(WORDS, Map.of(type, words));
    document.put(COMPACT, Map.of(type, compact));
    document.put(PREFIXES, Map.of(type, prefixes));
    return document;
  }

  /** The terms of each text, space-separated (each analyzed on its own), for a whitespace-analyzed field. */
  private static String terms(org.apache.lucene.analysis.Analyzer analyzer, List<String> texts) {
    List<String> terms = new ArrayList<>();
    for (String text : texts) {
      terms.addAll(KoreanAnalysis.terms(analyzer, text));
    }
    return String.join(" ", terms);
  }

  private static Collection<?> values(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof Collection<?> many ? many.stream().filter(v -> v != null).toList() : List.of(value);
  }
}
