/**
 * The Kafka relay: one more consumer of the local log, whose effect is the broker's
 * acknowledgement (the log is the outbox, so there is no dual write).
 */
package dev.ordo.kafka.relay;
