/** A single-node KRaft Kafka run from Maven artifacts, for the tests and the local topology. */
package dev.ordo.kafka.broker;
