package dev.ordo.snapshot;

/**
 * An aggregate's state as of a stream version, so loading it folds only the later events.
 *
 * @param schemaVersion the version of the state's shape; a snapshot of another version is ignored
 *     and the stream replayed (seed 001 "Snapshot 전략")
 * @param state         the state as a JSON object
 */
public record Snapshot(String streamId, long version, int schemaVersion, String state) {}
