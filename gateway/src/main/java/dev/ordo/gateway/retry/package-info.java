/**
 * Retries where a repeat cannot do harm: reads, and commands whose Idempotency-Key makes the write
 * service answer a repeat with the first answer. Never a command without one.
 */
package dev.ordo.gateway.retry;
