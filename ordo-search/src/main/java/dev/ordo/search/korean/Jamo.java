package dev.ordo.search.korean;

/**
 * Hangul syllables spelled out in their letters (자모): "갤럭시" is "ㄱㅐㄹㄹㅓㄱㅅㅣ", so a
 * one-letter slip ("겔럭시") is one edit away instead of a whole different syllable, and a word
 * being typed ("갤러") is a prefix of the word it becomes ("갤럭"). Other characters pass as they are.
 */
public final class Jamo {

  private static final char[] LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ".toCharArray();
  private static final char[] VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ".toCharArray();
  private static final String[] TAILS = {"", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ",
      "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"};

  private static final char FIRST = '\uAC00';
  private static final char LAST = '\uD7A3';

  private Jamo() {}

  public static String of(CharSequence text) {
    StringBuilder letters = new StringBuilder(text.length() * 3);
    append(text, letters);
    return letters.toString();
  }

  static void append(CharSequence text, StringBuilder letters) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < FIRST || c > LAST) {
        letters.append(c);
        continue;
      }
      int index = c - FIRST;
      letters.append(LEADS[index / 588]).append(VOWELS[(index % 588) / 28]).append(TAILS[index % 28]);
    }
  }
}
