package dev.ordo.search.korean;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;

/**
 * How Korean text is taken apart, at index and at query time (the Nori analyzer of Lucene):
 *
 * <ul>
 *   <li>{@link #index()}: morphemes, compounds split and kept ({@code 스마트폰} → {@code 스마트폰},
 *       {@code 스마트}, {@code 폰}), particles and endings dropped ({@code 노트북을} → {@code 노트북}),
 *       Latin lower-cased;
 *   <li>{@link #query()}: the same with compounds in their parts only (so {@code 전기밥솥} finds
 *       {@code 전기압력밥솥}), plus synonyms ({@code 핸드폰} also
 *       asks for {@code 휴대폰} and {@code 스마트폰}; {@code galaxy} for {@code 갤럭시}), applied at
 *       query time only, so editing the synonym file needs no reindexing;
 *   <li>{@link #letters()}: the index's morphemes in {@link Jamo letters}, for typos;
 *   <li>{@link #compact()}: the text without spaces in two-character grams, so {@code 무선이어폰}
 *       is found in {@code 무선 이어폰} and the other way round;
 *   <li>{@link #prefixes()}: each word's letter prefixes, for autocomplete while a syllable is typed.
 * </ul>
 *
 * The synonym file (Solr format: {@code 핸드폰, 휴대폰, 스마트폰} per line) and the user dictionary
 * (one word per line, for brand names Nori does not know: {@code 에어팟}) are the defaults of this
 * module unless a file is given.
 */
public final class KoreanAnalysis {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KoreanAnalysis.class);

  /** Letters of a word longer than this are not completed further. */
  public static final int MAX_PREFIX = 40;

  private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern NOT_LETTER_OR_DIGIT_OR_SPACE = Pattern.compile("[^\\p{L}\\p{N}\\s]+");

  private final UserDictionary dictionary;
  private final List<String> dictionaryRules;
  private final List<String> synonymRules;
  private final SynonymMap synonyms;
  private final Analyzer index;
  private final Analyzer query;
  private final Analyzer letters;
  private final Analyzer wordLetters;
  private final java.util.Set<String> accessories;
  private final Analyzer compact;
  private final Analyzer prefixes;

  private KoreanAnalysis(Reader dictionary, Reader synonyms, Reader accessories) throws IOException, ParseException {
    this.dictionaryRules = new java.io.BufferedReader(dictionary).lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    this.dictionary = UserDictionary.open(new StringReader(String.join("\n", dictionaryRules)));
    this.index = chain(() -> nori(DecompoundMode.MIXED), KoreanAnalysis::words);
    Analyzer plain = chain(() -> nori(DecompoundMode.DISCARD), KoreanAnalysis::words);
    this.synonymRules = usable(synonyms, plain);
    this.synonyms = synonyms(synonymRules, plain);
    this.query = chain(() -> nori(DecompoundMode.DISCARD), s -> new SynonymGraphFilter(words(s), this.synonyms, true));
    this.letters = chain(() -> nori(DecompoundMode.MIXED), s -> new JamoFilter(words(s)));
    this.wordLetters = new Analyzer() {
      @Override
      protected Reader initReader(String fieldName, Reader reader) {
        return new PatternReplaceCharFilter(NOT_LETTER_OR_DIGIT_OR_SPACE, "", reader);
      }

      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer words = new WhitespaceTokenizer();
        return new TokenStreamComponents(words, new JamoFilter(new LowerCaseFilter(words)));
      }
    };
    this.accessories = accessories(accessories);
    this.compact = new Analyzer() {
      @Override
      protected Reader initReader(String fieldName, Reader reader) {
        return new PatternReplaceCharFilter(NOT_LETTER_OR_DIGIT, "", reader);
      }

      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer grams = new NGramTokenizer(2, 2);
        return new TokenStreamComponents(grams, new LowerCaseFilter(grams));
      }
    };
    this.prefixes = new Analyzer() {
      @Override
      protected Reader initReader(String fieldName, Reader reader) {
        return new PatternReplaceCharFilter(NOT_LETTER_OR_DIGIT_OR_SPACE, "", reader);
      }

      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer words = new WhitespaceTokenizer();
        return new TokenStreamComponents(words,
            new EdgeNGramTokenFilter(new JamoFilter(new LowerCaseFilter(words)), 1, MAX_PREFIX, true));
      }
    };
  }

  /**
   * The synonym lines that analyze into whole words; a line with a word Nori takes apart with a hole
   * (a part it drops as a particle) is left out with a warning naming it: add the word to the user
   * dictionary to keep it.
   */
  private static List<String> usable(Reader file, Analyzer analyzer) throws IOException {
    List<String> usable = new java.util.ArrayList<>();
    int number = 0;
    for (String line : new java.io.BufferedReader(file).lines().toList()) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        new SolrSynonymParser(true, true, analyzer).parse(new StringReader(line));
        usable.add(line);
      } catch (ParseException | IllegalArgumentException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        log.warn("synonym line {} left out ({}): {}", number, line, cause.getMessage());
      }
    }
    return List.copyOf(usable);
  }

  private static SynonymMap synonyms(List<String> rules, Analyzer analyzer) throws IOException, ParseException {
    SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer);
    parser.parse(new StringReader(String.join("\n", rules)));
    return parser.build();
  }

  /** The user dictionary's entries (as Nori's {@code user_dictionary_rules}), for an engine that analyzes by itself. */
  public List<String> dictionaryRules() {
    return dictionaryRules;
  }

  /** The synonym lines in use (Solr format, the ones left out excluded), for an engine that analyzes by itself. */
  public List<String> synonymRules() {
    return synonymRules;
  }

  /** The terms an analyzer makes of a text, in order. */
  public static List<String> terms(Analyzer analyzer, String text) {
    List<String> terms = new java.util.ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("", text)) {
      var term = stream.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }

  /** With this module's synonyms and dictionary. */
  public static KoreanAnalysis defaults() {
    return of(null, null, null);
  }

  /** With the given files where they are not null (and exist), this module's defaults otherwise. */
  public static KoreanAnalysis of(Path userDictionary, Path synonyms, Path accessories) {
    try (Reader dictionary = open(userDictionary, "userdict.txt"); Reader synonymReader = open(synonyms, "synonyms.txt");
        Reader accessoryReader = open(accessories, "accessories.txt")) {
      return new KoreanAnalysis(dictionary, synonymReader, accessoryReader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the synonym file does not parse at line " + e.getErrorOffset() + ": "
          + e.getMessage(), e);
    }
  }

  private static String defaultFile(String name) {
    try (var in = KoreanAnalysis.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reader open(Path file, String fallback) throws IOException {
    if (file != null && Files.exists(file)) {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    return new StringReader(defaultFile(fallback));
  }

  private Tokenizer nori(DecompoundMode mode) {
    return new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, dictionary, mode, false, true);
  }

  private static TokenStream words(TokenStream morphemes) {
    return new LowerCaseFilter(new KoreanPartOfSpeechStopFilter(morphemes));
  }

  public Analyzer index() {
    return index;
  }

  public Analyzer query() {
    return query;
  }

  public Analyzer letters() {
    return letters;
  }

  /** Whole words in letters, lower-cased, without punctuation: a typo in a word Nori splits ({@code 셜화수}). */
  public Analyzer wordLetters() {
    return wordLetters;
  }

  /** The words that name an accessory of a product rather than a product, as indexed (each kept whole by Nori). */
  public java.util.Set<String> accessories() {
    return accessories;
  }

  private java.util.Set<String> accessories(Reader lines) throws IOException {
    java.util.Set<String> words = new java.util.LinkedHashSet<>();
    for (String line : new java.io.BufferedReader(lines).lines().toList()) {
      String word = line.strip();
      if (word.isEmpty() || word.startsWith("#")) {
        continue;
      }
      try (TokenStream stream = index.tokenStream("", word)) {
        var term = stream.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
        stream.reset();
        if (stream.incrementToken() && term.toString().equals(word.toLowerCase(java.util.Locale.ROOT))) {
          words.add(term.toString());
        } else {
          log.warn("accessory word {} left out: Nori does not keep it whole (add it to the user dictionary)", word);
        }
        stream.end();
      }
    }
    return java.util.Set.copyOf(words);
  }

  public Analyzer compact() {
    return compact;
  }

  public Analyzer prefixes() {
    return prefixes;
  }

  /** The text as the compact field holds it: letters and digits only, lower-cased. */
  public static String compacted(String text) {
    return NOT_LETTER_OR_DIGIT.matcher(text).replaceAll("").toLowerCase(java.util.Locale.ROOT);
  }

  private static Analyzer chain(Supplier<Tokenizer> tokenizer, Function<TokenStream, TokenStream> filters) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = tokenizer.get();
        return new TokenStreamComponents(source, filters.apply(source));
      }
    };
  }
}
