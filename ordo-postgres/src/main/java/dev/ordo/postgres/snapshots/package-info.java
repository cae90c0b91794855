/** The latest snapshot of each stream, with its schema version. */
package dev.ordo.postgres.snapshots;
