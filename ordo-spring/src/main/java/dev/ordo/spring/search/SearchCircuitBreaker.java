package dev.ordo.spring.search;

import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchResult;
import dev.ordo.search.SearchUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A remote engine behind a circuit breaker (Resilience4j): once most recent calls found it
 * unavailable, it is not asked for a while and says at once that it is unavailable, so a search
 * falls back without waiting for a timeout each time; after the wait one call tries it again
 * (half-open) by itself, and its success closes the circuit. Only unavailability counts as a
 * failure, never a query the engine refused.
 */
final class SearchCircuitBreaker implements SearchEngine {

  private final SearchEngine engine;
  private final CircuitBreaker breaker;

  /** @param meters where its state and calls are, as {@code resilience4j.circuitbreaker.*} (name {@code search-<index>}) */
  SearchCircuitBreaker(String name, SearchEngine engine, Duration openFor, MeterRegistry meters) {
    this.engine = engine;
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    this.breaker = breakers.circuitBreaker("search-" + name, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(10)
        .minimumNumberOfCalls(2).failureRateThreshold(50).waitDurationInOpenState(openFor)
        .automaticTransitionFromOpenToHalfOpenEnabled(true).permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(SearchUnavailableException.class).build());
  }

  CircuitBreaker.State state() {
    return breaker.getState();
  }

  @Override
  public String name() {
    return engine.name();
  }

  private <T> T call(Supplier<T> call) {
    try {
      return breaker.executeSupplier(call);
    } catch (CallNotPermittedException e) {
      throw new SearchUnavailableException("the search engine failed lately; tried again by itself soon", e);
    }
  }

  @Override
  public SearchResult search(SearchQuery query) {
    return call(() -> engine.search(query));
  }

  @Override
  public List<SearchResult.Hit> suggest(String type, String prefix, Map<String, List<String>> filters,
      String popularity, int size) {
    return call(() -> engine.suggest(type, prefix, filters, popularity, size));
  }

  @Override
  public List<SearchResult.Hit> related(String type, String id, Map<String, List<String>> filters, int size) {
    return call(() -> engine.related(type, id, filters, size));
  }

  /** Not while the circuit is open: the caller answers another way at once. */
  @Override
  public boolean available() {
    return breaker.getState() != CircuitBreaker.State.OPEN && engine.available();
  }
}
