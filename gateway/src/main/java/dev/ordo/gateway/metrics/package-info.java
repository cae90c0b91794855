/** Per-route request metrics, beside the circuit breakers' own and the fallback counter. */
package dev.ordo.gateway.metrics;
