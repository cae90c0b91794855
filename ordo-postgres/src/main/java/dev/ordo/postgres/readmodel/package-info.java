/** Read models in the read database: each projection's generations (blue/green), a table target per generation for the consumer runner, dead letters and status. */
package dev.ordo.postgres.readmodel;
