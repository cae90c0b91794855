package dev.ordo.spring.search;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The search engine of each index and whether it answers. An index being built (the first time)
 * leaves the application UP: search answers from PostgreSQL meanwhile and says so.
 */
public final class SearchHealthIndicator implements HealthIndicator {

  private final Searches searches;

  public SearchHealthIndicator(Searches searches) {
    this.searches = searches;
  }

  @Override
  public Health health() {
    return Health.up().withDetails(searches.generations()).build();
  }
}
