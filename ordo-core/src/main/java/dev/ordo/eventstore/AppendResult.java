package dev.ordo.eventstore;

/**
 * @param version  the stream's version after the append (the last appended event's version)
 * @param position the global position of the last appended event
 */
public record AppendResult(String streamId, long version, long position) {}
