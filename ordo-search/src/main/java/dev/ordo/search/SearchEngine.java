package dev.ordo.search;

import java.util.List;
import java.util.Map;

/**
 * Searching an index, whichever engine holds it. Every method throws {@link
 * SearchUnavailableException} when the engine cannot answer (not built yet, unreachable): the
 * caller answers some other way and says so.
 */
public interface SearchEngine {

  /** {@code lucene}, {@code opensearch}: what answered, for a response header and health. */
  String name();

  SearchResult search(SearchQuery query);

  /**
   * Titles that complete what is being typed, letter by letter ({@code 갤러} completes to {@code
   * 갤럭시}), most popular first.
   *
   * @param popularity a number field, higher first among completions
   */
  List<SearchResult.Hit> suggest(String type, String prefix, Map<String, List<String>> filters, String popularity,
      int size);

  /** Documents like the one named (more like this), best first, itself excluded; empty when it is not indexed. */
  List<SearchResult.Hit> related(String type, String id, Map<String, List<String>> filters, int size);

  /** Whether it can answer now. */
  boolean available();
}
