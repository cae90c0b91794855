/** Snapshots of an aggregate's state, so a long stream is not replayed from its start on every load. */
package dev.ordo.snapshot;
