package dev.ordo.eventstore;

/** The whole log: append with optimistic concurrency, read a stream, read and tail the global log. */
public interface EventStore extends StreamAppender, StreamReader, LogReader, LogSubscriber {}
