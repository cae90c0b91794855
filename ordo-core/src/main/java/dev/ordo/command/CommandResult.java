package dev.ordo.command;

/**
 * @param version  the aggregate's version after the command
 * @param position the global position of its last event
 * @param appended false when the command changed nothing
 */
public record CommandResult(String aggregateId, long version, long position, boolean appended) {}
