package dev.ordo.search;

import java.util.List;
import java.util.Map;

/**
 * A page of hits with the total and facet counts over every match.
 *
 * @param corrected whether nothing matched as typed and the hits are for the words within a typo
 */
public record SearchResult(long total, List<Hit> hits, Map<String, List<Count>> facets, List<Bucket> buckets,
    boolean corrected) {

  /**
   * @param sortKey     what a cursor after this hit carries (its score or its sort field's value)
   * @param highlighted the title, HTML-escaped, with the matched words in {@code <em>}
   */
  public record Hit(String id, Map<String, Object> source, String sortKey, String highlighted) {}

  public record Count(String value, long count) {}

  /** {@code max} is exclusive and null for the last bucket. */
  public record Bucket(long min, Long max, long count) {}
}
