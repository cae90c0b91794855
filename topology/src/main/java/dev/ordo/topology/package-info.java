/**
 * The distributed topology on one machine (ARCHITECTURE.md decision 11), for a developer and for
 * the tests that break it on purpose: one embedded PostgreSQL holding every service's databases, a
 * single-node Kafka, the write services, the read-model service and the gateway, each a child
 * process on loopback. {@link dev.ordo.topology.Topology} starts them, waits until each is healthy
 * and stops them in reverse; {@code ./ordo topology} runs it from the command line.
 */
package dev.ordo.topology;
