/**
 * Distributed mode (ARCHITECTURE.md decision 11): with {@code ordo.kafka.bootstrap-servers} set,
 * this instance relays the events of the aggregates it owns to Kafka and appends the events of the
 * stream types it follows to its own log, where its read models and processes find them.
 */
package dev.ordo.app.distributed;
