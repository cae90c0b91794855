/**
 * Everything that follows the log is a consumer (ARCHITECTURE.md decision 10): a {@link
 * dev.ordo.consumer.Source} of ordered events with resumable positions, a {@link
 * dev.ordo.consumer.Target} that applies a batch and stores its checkpoint atomically with its
 * effect, and a {@link dev.ordo.consumer.Projection} that says what each event means to the target.
 * One {@link dev.ordo.consumer.ConsumerRunner} owns what they share: leadership, batching, retries,
 * dead letters, lag, and the take-over of a rebuilt generation.
 */
package dev.ordo.consumer;
