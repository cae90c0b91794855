/** Kafka topics as a source of the consumer mechanism, with positions a target stores with its effect. */
package dev.ordo.kafka.source;
