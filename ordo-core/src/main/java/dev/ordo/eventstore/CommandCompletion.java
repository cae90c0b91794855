package dev.ordo.eventstore;

import java.util.UUID;

/**
 * The command log's record of a command that succeeded, written in the transaction of its
 * append: a command whose events are stored is always recorded as done, and the other way round.
 * The aggregate, version and position of the record are the append's.
 *
 * @param idempotencyKey the client's key, or null
 * @param fingerprint    identifies the request the key was first used with, or null
 * @param created        whether the command created its aggregate
 */
public record CommandCompletion(UUID commandId, String idempotencyKey, String fingerprint, String commandType,
    boolean created) {}
