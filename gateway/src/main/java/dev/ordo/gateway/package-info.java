/**
 * The gateway in front of Ordo's distributed topology (seed 003): commands routed by method and path
 * to the write service that owns them, queries to the read-model service, the critical queries
 * falling back to their write service, every route behind its own circuit breaker. The routes are
 * configuration ({@code application.yml}); the code here only adds what configuration cannot say.
 * {@code gateway/README.md} tells how it behaves and why.
 */
package dev.ordo.gateway;
