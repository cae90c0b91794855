package dev.ordo.search;

import java.util.List;
import java.util.Map;

/**
 * What is searched: the words as typed, filters that narrow without scoring, the order, where a
 * page begins, and the counts to make over every match.
 *
 * @param filters    a keyword field → the values one of which it must hold
 * @param ranges     a number field → the bounds it must lie within
 * @param order      empty field: by relevance
 * @param after      the last hit of the page before, or null for the first page
 * @param facets     keyword fields to count the matches by
 * @param priceRange a number field and the bounds of its buckets to count the matches in, or null
 */
public record SearchQuery(String type, String text, Map<String, List<String>> filters, Map<String, Range> ranges,
    Order order, After after, int size, List<String> facets, Buckets priceRange) {

  public SearchQuery {
    filters = Map.copyOf(filters);
    ranges = Map.copyOf(ranges);
    facets = List.copyOf(facets);
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1");
    }
  }

  /** Inclusive bounds; null is open. */
  public record Range(Long min, Long max) {}

  /** By a number field (or relevance when {@code field} is null), ties broken by id in the same direction. */
  public record Order(String field, boolean descending) {

    public static final Order RELEVANCE = new Order(null, true);
  }

  /** Where the page before ended: its last hit's sort key and id. */
  public record After(String key, String id) {}

  /** Counts in {@code [bounds[i-1], bounds[i])}, the first from 0 and the last open. */
  public record Buckets(String field, long[] bounds) {}
}
