package dev.ordo.postgres.readmodel;

import java.time.Instant;

/** An event a projection could not apply after its retries. */
public record DeadLetter(long id, int generation, long position, String eventId, String streamId, String eventType,
    String error, int attempts, boolean blocking, String state, Instant createdAt, Instant resolvedAt) {}
