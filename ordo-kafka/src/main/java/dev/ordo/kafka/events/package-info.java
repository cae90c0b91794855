/** Events of the log as Kafka records: CloudEvents in binary mode, a topic per stream type. */
package dev.ordo.kafka.events;
