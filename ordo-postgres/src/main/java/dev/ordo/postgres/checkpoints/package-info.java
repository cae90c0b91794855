/** Checkpoints, leases and dead letters of the consumers whose effect is outside the database: processes, relays. */
package dev.ordo.postgres.checkpoints;
