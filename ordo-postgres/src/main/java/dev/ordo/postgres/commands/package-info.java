/** The command log in the {@code commands} table: idempotency keys, asynchronous commands, outcomes, written in the append's own transaction. */
package dev.ordo.postgres.commands;
