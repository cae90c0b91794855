package dev.ordo.search.lucene;

import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.search.SearchSchema.Kind;
import dev.ordo.search.korean.Jamo;
import dev.ordo.search.korean.KoreanAnalysis;
import dev.ordo.search.korean.TypoTolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The Lucene query for what was typed. Every word must match, in any text field (the best field
 * counts, weighted by its boost): as morphemes with synonyms, as a whole word of the field, or
 * without spaces in the title. When
 * nothing matches so, the {@link #corrected} query also lets a word match a word of the title,
 * tags, store… (not a description) within a typo, or as the beginning of a word (a word still being
 * typed, 해운대 of 해운대구).
 */
final class LuceneQueries {

  /** What a title with an accessory word the query lacks scores, against 1 for the others: below any match without one. */
  private static final float ACCESSORY = 0.05f;

  private final QueryBuilder morphemes;
  private final KoreanAnalysis analysis;

  LuceneQueries(KoreanAnalysis analysis) {
    this.morphemes = new QueryBuilder(analysis.query());
    this.analysis = analysis;
  }

  /** The fewest letters a word must have to be taken as the beginning of a longer one outside the title. */
  private static final int MIN_PREFIX = 4;

  /** How much more a title scores that has a query word as a word of its own (사과, not 사과즙). */
  private static final float WHOLE_WORD = 2f;

  Query exact(SearchSchema schema, String text) {
    return ranked(schema, text, words(schema, text, false));
  }

  Query corrected(SearchSchema schema, String text) {
    return ranked(schema, text, words(schema, text, true));
  }

  private Query ranked(SearchSchema schema, String text, Query words) {
    if (schema.title() == null) {
      return words;
    }
    return accessoriesLast(schema, text, wholeWordsFirst(schema, text, words));
  }

  /** A title holding a query word (or the word without its particle) as a word of its own ranks higher. */
  private static Query wholeWordsFirst(SearchSchema schema, String text, Query words) {
    List<BytesRef> whole = new ArrayList<>();
    for (String word : TypoTolerance.words(text)) {
      for (String variant : TypoTolerance.variants(word)) {
        whole.add(new BytesRef(Jamo.of(KoreanAnalysis.compacted(variant))));
      }
    }
    return whole.isEmpty() ? words : org.apache.lucene.queries.function.FunctionScoreQuery.boostByQuery(words,
        new TermInSetQuery(title(schema) + LuceneDocuments.WORD_LETTERS, whole), WHOLE_WORD);
  }

  /** Ranks a match whose title names an accessory the query does not ask for below the others. */
  private Query accessoriesLast(SearchSchema schema, String text, Query words) {
    java.util.Set<String> asked = new java.util.HashSet<>();
    try (var stream = analysis.index().tokenStream("", text)) {
      var term = stream.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        asked.add(term.toString());
      }
      stream.end();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<BytesRef> demoted = analysis.accessories().stream().filter(a -> !asked.contains(a)).map(BytesRef::new).toList();
    if (demoted.isEmpty()) {
      return words;
    }
    return org.apache.lucene.queries.function.FunctionScoreQuery.boostByQuery(words,
        new TermInSetQuery(title(schema), demoted), ACCESSORY);
  }

  private Query words(SearchSchema schema, String text, boolean typos) {
    List<String> words = TypoTolerance.words(text);
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int clauses = 0;
    for (String word : words) {
      Query clause = word(schema, word, typos);
      if (clause != null) {
        all.add(clause, Occur.MUST);
        clauses++;
      }
    }
    return clauses == 0 ? new MatchNoDocsQuery("no words") : all.build();
  }

  private Query word(SearchSchema schema, String word, boolean typos) {
    List<Query> alternatives = new ArrayList<>();
    List<String> variants = TypoTolerance.variants(word);
    for (Field field : schema.fields(Kind.TEXT)) {
      String name = LuceneDocuments.field(schema, field.name());
      Query query = morphemes.createBooleanQuery(name, word, Occur.MUST);
      if (query != null) {
        alternatives.add(new BoostQuery(query, field.boost()));
      }
      for (String variant : variants) { // the word as written (Nori may cut it otherwise in a text than alone)
        String letters = Jamo.of(KoreanAnalysis.compacted(variant));
        if (!letters.isEmpty()) {
          alternatives.add(new BoostQuery(new TermQuery(new Term(name + LuceneDocuments.WORD_LETTERS, letters)),
              field.boost()));
        }
      }
    }
    if (typos) { // within a typo of a word of the title, tags, store…: not of a description (each fuzzy query walks a term dictionary)
      for (Field field : schema.fields(Kind.TEXT)) {
        boolean title = field.name().equals(schema.title());
        if (!title && field.boost() < 1) {
          continue;
        }
        String name = LuceneDocuments.field(schema, field.name());
        for (String variant : variants) {
          String letters = Jamo.of(KoreanAnalysis.compacted(variant));
          int edits = TypoTolerance.edits(letters);
          if (edits == 0) {
            continue;
          }
          List<String> suffixes = title ? List.of(LuceneDocuments.LETTERS, LuceneDocuments.WORD_LETTERS)
              : List.of(LuceneDocuments.WORD_LETTERS);
          for (String suffix : suffixes) {
            alternatives.add(new BoostQuery(new FuzzyQuery(new Term(name + suffix, letters), edits,
                TypoTolerance.PREFIX, 50, true), field.boost() * 0.5f));
          }
        }
        String letters = Jamo.of(KoreanAnalysis.compacted(word));
        if (!title && letters.length() >= MIN_PREFIX) { // the beginning of a word: 해운대 of 해운대구
          alternatives.add(new BoostQuery(new PrefixQuery(new Term(name + LuceneDocuments.WORD_LETTERS, letters)),
              field.boost() * 0.3f));
        }
      }
    }
    if (typos && schema.title() != null) { // a word being typed: the beginning of a word of the title
      String letters = Jamo.of(KoreanAnalysis.compacted(word));
      if (!letters.isEmpty() && letters.length() <= KoreanAnalysis.MAX_PREFIX) {
        alternatives.add(new BoostQuery(new TermQuery(new Term(title(schema) + LuceneDocuments.PREFIXES, letters)),
            schema.field(schema.title()).boost() * 0.3f));
      }
    }
    String compact = KoreanAnalysis.compacted(word);
    if (schema.title() != null && compact.length() >= 2) {
      alternatives.add(new BoostQuery(piece(title(schema), compact), schema.field(schema.title()).boost() * 0.8f));
    }
    for (Field code : schema.fields(Kind.IDENTIFIER)) {
      if (compact.length() >= 2) {
        alternatives.add(new BoostQuery(piece(LuceneDocuments.field(schema, code.name()), compact), code.boost()));
      }
    }
    return alternatives.isEmpty() ? null : new DisjunctionMaxQuery(alternatives, 0.1f);
  }

  private static String title(SearchSchema schema) {
    return LuceneDocuments.field(schema, schema.title());
  }

  /** The text (letters and digits, lower case) as a piece of the field's compact form: its two-letter grams in a row. */
  private static Query piece(String field, String compact) {
    PhraseQuery.Builder grams = new PhraseQuery.Builder();
    for (int i = 0; i + 2 <= compact.length(); i++) {
      grams.add(new Term(field + LuceneDocuments.COMPACT, compact.substring(i, i + 2)));
    }
    return grams.build();
  }

  /** The documents of the type that pass the filters, as clauses that do not score. */
  static BooleanQuery.Builder filtered(SearchSchema schema, Map<String, List<String>> filters,
      Map<String, SearchQuery.Range> ranges) {
    BooleanQuery.Builder query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(LuceneDocuments.TYPE, schema.type())), Occur.FILTER);
    filters.forEach((field, values) -> {
      if (!schema.has(field, Kind.KEYWORD)) {
        throw new IllegalArgumentException("no keyword field " + field + " in " + schema.type());
      }
      query.add(new TermInSetQuery(LuceneDocuments.field(schema, field), values.stream().map(BytesRef::new).toList()), Occur.FILTER);
    });
    ranges.forEach((field, range) -> {
      if (!schema.has(field, Kind.LONG)) {
        throw new IllegalArgumentException("no number field " + field + " in " + schema.type());
      }
      long min = range.min() == null ? Long.MIN_VALUE : range.min();
      long max = range.max() == null ? Long.MAX_VALUE : range.max();
      query.add(LongPoint.newRangeQuery(LuceneDocuments.field(schema, field), min, max), Occur.FILTER);
    });
    return query;
  }

  /** Titles whose words begin with what was typed, letter by letter. */
  static Query prefixes(SearchSchema schema, String typed) {
    if (schema.title() == null) {
      return new MatchNoDocsQuery(schema.type() + " has no title");
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    List<String> words = TypoTolerance.words(typed);
    for (String word : words) {
      String letters = Jamo.of(KoreanAnalysis.compacted(word));
      if (letters.isEmpty()) {
        continue;
      }
      if (letters.length() > KoreanAnalysis.MAX_PREFIX) {
        letters = letters.substring(0, KoreanAnalysis.MAX_PREFIX);
      }
      all.add(new TermQuery(new Term(title(schema) + LuceneDocuments.PREFIXES, letters)), Occur.MUST);
    }
    return words.isEmpty() ? new MatchNoDocsQuery("no words") : all.build();
  }
}
