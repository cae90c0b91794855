/**
 * What a route's circuit breaker falls back to: for a critical query, the write service that owns
 * the aggregate (seed 003 §4); for everything else, and when that fails too, a 503 problem with
 * {@code Retry-After}. Both are reached by a servlet forward and by nothing else.
 */
package dev.ordo.gateway.fallback;
