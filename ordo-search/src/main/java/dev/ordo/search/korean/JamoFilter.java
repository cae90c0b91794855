package dev.ordo.search.korean;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Replaces each token by its {@link Jamo letters}. */
final class JamoFilter extends TokenFilter {

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final StringBuilder letters = new StringBuilder();

  JamoFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    letters.setLength(0);
    Jamo.append(term, letters);
    term.setEmpty().append(letters);
    return true;
  }
}
