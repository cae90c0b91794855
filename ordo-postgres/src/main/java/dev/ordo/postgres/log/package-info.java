/** The event log in one table: write-combining appends with optimistic concurrency, gap-free reads in (tx, position) order, tails. */
package dev.ordo.postgres.log;
