package dev.ordo.search.korean;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How far a word may be from what was typed and still be meant: measured in letters ({@link
 * Jamo}), none below 4 letters, one up to 9 ({@code 겔럭시} → {@code 갤럭시}, {@code nkie} → {@code
 * nike}), two beyond. The first letter must be right. A word with a particle still attached
 * ({@code 겔럭시를}) is also tried without it.
 */
public final class TypoTolerance {

  public static final int PREFIX = 1;

  private static final List<String> PARTICLES = List.of("으로", "에서", "까지", "부터", "처럼", "보다", "하고", "이랑",
      "을", "를", "이", "가", "은", "는", "의", "에", "도", "로", "와", "과", "랑", "만");

  private TypoTolerance() {}

  /** The words of a query, lower-cased, at most ten. */
  public static List<String> words(String query) {
    return Arrays.stream(query.toLowerCase(Locale.ROOT).strip().split("\\s+")).filter(w -> !w.isEmpty())
        .distinct().limit(10).toList();
  }

  /** Edits allowed for a word of these letters. */
  public static int edits(String letters) {
    int length = letters.codePointCount(0, letters.length());
    return length < 4 ? 0 : length < 10 ? 1 : 2;
  }

  /** The word, and without a trailing particle when it has one and stays two syllables long. */
  public static List<String> variants(String word) {
    List<String> variants = new ArrayList<>(List.of(word));
    for (String particle : PARTICLES) {
      if (word.endsWith(particle) && word.length() - particle.length() >= 2) {
        variants.add(word.substring(0, word.length() - particle.length()));
        break;
      }
    }
    return variants;
  }

  /** Whether {@code candidate} is within the edits {@code typed} allows (both in letters). */
  public static boolean within(String typed, String candidate) {
    int allowed = edits(typed);
    if (allowed == 0 || typed.isEmpty() || candidate.isEmpty() || typed.charAt(0) != candidate.charAt(0)
        || Math.abs(typed.length() - candidate.length()) > allowed) {
      return false;
    }
    return distance(typed, candidate) <= allowed;
  }

  /** Damerau-Levenshtein distance (adjacent transpositions count one), as Lucene's fuzzy queries count. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
