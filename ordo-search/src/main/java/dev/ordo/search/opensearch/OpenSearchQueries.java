package dev.ordo.search.opensearch;

import static dev.ordo.search.opensearch.OpenSearchDocuments.derived;
import static dev.ordo.search.opensearch.OpenSearchDocuments.field;

import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.SearchSchema.Kind;
import dev.ordo.search.korean.Jamo;
import dev.ordo.search.korean.KoreanAnalysis;
import dev.ordo.search.korean.TypoTolerance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenSearch query for what was typed, with the embedded engine's semantics
 * ({@code LuceneQueries}): every word must match in some text field (the best field counts,
 * weighted by its boost) as morphemes with synonyms, as a whole word of the field, or without spaces in
 * the title; the corrected query also lets a word match a word of the title, tags, store… (not a
 * description) within a typo in letters, or the beginning of a word of the title.
 * A title with an accessory the query lacks scores ×0.05, one with a query word as a word of its own ×2.
 */
final class OpenSearchQueries {

  private static final double ACCESSORY = 0.05;
  private static final double WHOLE_WORD = 2;
  private static final int MIN_PREFIX = 4;
  static final Map<String, Object> NOTHING = Map.of("match_none", Map.of());

  private final KoreanAnalysis analysis;

  OpenSearchQueries(KoreanAnalysis analysis) {
    this.analysis = analysis;
  }

  Map<String, Object> exact(SearchSchema schema, String text) {
    return ranked(schema, text, words(schema, text, false));
  }

  Map<String, Object> corrected(SearchSchema schema, String text) {
    return ranked(schema, text, words(schema, text, true));
  }

  private Map<String, Object> ranked(SearchSchema schema, String text, Map<String, Object> words) {
    if (schema.title() == null) {
      return words;
    }
    List<Object> functions = new ArrayList<>();
    List<String> whole = new ArrayList<>();
    for (String word : TypoTolerance.words(text)) {
      for (String variant : TypoTolerance.variants(word)) {
        whole.add(Jamo.of(KoreanAnalysis.compacted(variant)));
      }
    }
    if (!whole.isEmpty()) {
      functions.add(Map.of("filter", Map.of("terms", Map.of(derived(OpenSearchDocuments.WORDS, schema.type(),
          schema.title()), whole)), "weight", WHOLE_WORD));
    }
    Set<String> asked = new HashSet<>(KoreanAnalysis.terms(analysis.index(), text));
    List<String> demoted = analysis.accessories().stream().filter(a -> !asked.contains(a)).sorted().toList();
    if (!demoted.isEmpty()) {
      functions.add(Map.of("filter", Map.of("terms", Map.of(field(schema.type(), schema.title()), demoted)),
          "weight", ACCESSORY));
    }
    return functions.isEmpty() ? words : Map.of("function_score", Map.of("query", words, "functions", functions,
        "score_mode", "multiply", "boost_mode", "multiply"));
  }

  private Map<String, Object> words(SearchSchema schema, String text, boolean typos) {
    List<Object> all = new ArrayList<>();
    for (String word : TypoTolerance.words(text)) {
      Map<String, Object> clause = word(schema, word, typos);
      if (clause != null) {
        all.add(clause);
      }
    }
    return all.isEmpty() ? NOTHING : Map.of("bool", Map.of("must", all));
  }

  private Map<String, Object> word(SearchSchema schema, String word, boolean typos) {
    List<Object> alternatives = new ArrayList<>();
    boolean morphemes = !KoreanAnalysis.terms(analysis.query(), word).isEmpty();
    List<String> variants = TypoTolerance.variants(word);
    for (Field field : schema.fields(Kind.TEXT)) {
      if (morphemes) {
        alternatives.add(Map.of("match", Map.of(field(schema.type(), field.name()), Map.of("query", word,
            "operator", "and", "auto_generate_synonyms_phrase_query", false, "boost", field.boost()))));
      }
      for (String variant : variants) { // the word as written (Nori may cut it otherwise in a text than alone)
        String letters = Jamo.of(KoreanAnalysis.compacted(variant));
        if (!letters.isEmpty()) {
          alternatives.add(Map.of("term", Map.of(derived(OpenSearchDocuments.WORDS, schema.type(), field.name()),
              Map.of("value", letters, "boost", field.boost()))));
        }
      }
      boolean title = field.name().equals(schema.title());
      if (typos && (title || field.boost() >= 1)) { // not in a description: each fuzzy query walks a term dictionary
        for (String variant : variants) {
          String letters = Jamo.of(KoreanAnalysis.compacted(variant));
          int edits = TypoTolerance.edits(letters);
          if (edits == 0) {
            continue;
          }
          List<String> kinds = title ? List.of(OpenSearchDocuments.LETTERS, OpenSearchDocuments.WORDS)
              : List.of(OpenSearchDocuments.WORDS);
          for (String kind : kinds) {
            alternatives.add(Map.of("fuzzy", Map.of(derived(kind, schema.type(), field.name()), Map.of(
                "value", letters, "fuzziness", Integer.toString(edits), "prefix_length", TypoTolerance.PREFIX,
                "max_expansions", 50, "transpositions", true, "boost", field.boost() * 0.5f))));
          }
        }
        String letters = Jamo.of(KoreanAnalysis.compacted(word));
        if (!title && letters.length() >= MIN_PREFIX) { // the beginning of a word: 해운대 of 해운대구
          alternatives.add(Map.of("prefix", Map.of(derived(OpenSearchDocuments.WORDS, schema.type(), field.name()),
              Map.of("value", letters, "boost", field.boost() * 0.3f))));
        }
      }
    }
    float titleBoost = schema.title() == null ? 0 : schema.field(schema.title()).boost();
    if (typos && schema.title() != null) { // a word being typed: the beginning of a word of the title
      String letters = Jamo.of(KoreanAnalysis.compacted(word));
      if (!letters.isEmpty() && letters.length() <= KoreanAnalysis.MAX_PREFIX) {
        alternatives.add(Map.of("term", Map.of(derived(OpenSearchDocuments.PREFIXES, schema.type(), schema.title()),
            Map.of("value", letters, "boost", titleBoost * 0.3f))));
      }
    }
    String compact = KoreanAnalysis.compacted(word);
    if (schema.title() != null && compact.length() >= 2) {
      alternatives.add(Map.of("match_phrase", Map.of(derived(OpenSearchDocuments.COMPACT, schema.type(),
          schema.title()), Map.of("query", compact, "boost", titleBoost * 0.8f))));
    }
    for (Field code : schema.fields(Kind.IDENTIFIER)) {
      if (compact.length() >= 2) {
        alternatives.add(Map.of("match_phrase", Map.of(derived(OpenSearchDocuments.COMPACT, schema.type(),
            code.name()), Map.of("query", compact, "boost", code.boost()))));
      }
    }
    return alternatives.isEmpty() ? null : Map.of("dis_max", Map.of("queries", alternatives, "tie_breaker", 0.1));
  }

  /** The documents of the type that pass the filters, as clauses that do not score. */
  static List<Object> filtered(SearchSchema schema, Map<String, List<String>> filters,
      Map<String, SearchQuery.Range> ranges) {
    List<Object> clauses = new ArrayList<>();
    clauses.add(Map.of("term", Map.of(OpenSearchDocuments.TYPE, schema.type())));
    filters.forEach((name, values) -> {
      if (!schema.has(name, Kind.KEYWORD)) {
        throw new IllegalArgumentException("no keyword field " + name + " in " + schema.type());
      }
      clauses.add(Map.of("terms", Map.of(field(schema.type(), name), values)));
    });
    ranges.forEach((name, range) -> {
      if (!schema.has(name, Kind.LONG)) {
        throw new IllegalArgumentException("no number field " + name + " in " + schema.type());
      }
      Map<String, Object> bounds = new LinkedHashMap<>();
      if (range.min() != null) {
        bounds.put("gte", range.min());
      }
      if (range.max() != null) {
        bounds.put("lte", range.max());
      }
      clauses.add(Map.of("range", Map.of(field(schema.type(), name), bounds)));
    });
    return clauses;
  }

  /** Titles whose words begin with what was typed, letter by letter. */
  static Map<String, Object> prefixes(SearchSchema schema, String typed) {
    if (schema.title() == null) {
      return NOTHING;
    }
    List<Object> all = new ArrayList<>();
    for (String word : TypoTolerance.words(typed)) {
      String letters = Jamo.of(KoreanAnalysis.compacted(word));
      if (letters.isEmpty()) {
        continue;
      }
      if (letters.length() > KoreanAnalysis.MAX_PREFIX) {
        letters = letters.substring(0, KoreanAnalysis.MAX_PREFIX);
      }
      all.add(Map.of("term", Map.of(derived(OpenSearchDocuments.PREFIXES, schema.type(), schema.title()), letters)));
    }
    return all.isEmpty() ? NOTHING : Map.of("bool", Map.of("must", all));
  }
}
