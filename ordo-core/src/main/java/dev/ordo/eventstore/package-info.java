/**
 * The event log: streams with optimistic concurrency, one global order, and a gap-free tail.
 *
 * <p>The capabilities are small interfaces ({@link StreamAppender}, {@link StreamReader},
 * {@link LogReader}, {@link LogSubscriber}) that {@link EventStore} composes, so a component can ask
 * for exactly what it uses.
 */
package dev.ordo.eventstore;
