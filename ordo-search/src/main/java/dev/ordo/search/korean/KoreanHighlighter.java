package dev.ordo.search.korean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The words of a title a query matched, wrapped in {@code <em>}: a morpheme the query asked for
 * (synonyms included), a query word found without spaces ({@code 무선이어폰} in {@code 무선 이어폰}),
 * and for a corrected query the words within a typo. Computed from the title and the query alone,
 * so every engine highlights the same way.
 */
public final class KoreanHighlighter {

  private final KoreanAnalysis analysis;

  public KoreanHighlighter(KoreanAnalysis analysis) {
    this.analysis = analysis;
  }

  public String highlight(String title, String query, boolean corrected) {
    Set<String> wanted = new HashSet<>();
    for (Token token : tokens(analysis.query(), query)) {
      wanted.add(token.term());
    }
    List<String> words = TypoTolerance.words(query);
    boolean[] marked = new boolean[title.length()];
    for (Token token : tokens(analysis.index(), title)) {
      boolean match = wanted.contains(token.term());
      if (!match && corrected) {
        String letters = Jamo.of(token.term());
        match = words.stream().flatMap(w -> TypoTolerance.variants(w).stream())
            .anyMatch(w -> TypoTolerance.within(Jamo.of(w), letters));
      }
      if (match) {
        mark(marked, token.start(), token.end());
      }
    }
    markCompact(title, words, marked);
    return render(title, marked);
  }

  private static void markCompact(String title, List<String> words, boolean[] marked) {
    StringBuilder compact = new StringBuilder();
    List<Integer> origin = new ArrayList<>();
    for (int i = 0; i < title.length(); i++) {
      char c = title.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        compact.append(Character.toLowerCase(c));
        origin.add(i);
      }
    }
    String haystack = compact.toString();
    for (String word : words) {
      String needle = KoreanAnalysis.compacted(word);
      if (needle.length() < 2) {
        continue;
      }
      for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
        mark(marked, origin.get(at), origin.get(at + needle.length() - 1) + 1);
      }
    }
  }

  private static void mark(boolean[] marked, int start, int end) {
    for (int i = Math.max(0, start); i < Math.min(marked.length, end); i++) {
      marked[i] = true;
    }
  }

  private static String render(String title, boolean[] marked) {
    StringBuilder html = new StringBuilder(title.length() + 16);
    for (int i = 0; i < title.length(); i++) {
      boolean opens = marked[i] && (i == 0 || !marked[i - 1]);
      if (opens) {
        html.append("<em>");
      }
      escape(title.charAt(i), html);
      if (marked[i] && (i + 1 == title.length() || !marked[i + 1])) {
        html.append("</em>");
      }
    }
    return html.toString();
  }

  /** The title HTML-escaped, nothing marked. */
  public static String plain(String title) {
    return render(title, new boolean[title.length()]);
  }

  private static void escape(char c, StringBuilder html) {
    switch (c) {
      case '&' -> html.append("&amp;");
      case '<' -> html.append("&lt;");
      case '>' -> html.append("&gt;");
      case '"' -> html.append("&quot;");
      default -> html.append(c);
    }
  }

  private record Token(String term, int start, int end) {}

  private static List<Token> tokens(Analyzer analyzer, String text) {
    List<Token> tokens = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(new Token(term.toString(), offset.startOffset(), offset.endOffset()));
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tokens;
  }
}
