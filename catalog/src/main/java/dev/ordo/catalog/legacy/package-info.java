/**
 * Importing a legacy catalog (seed 000 §10.2 over the tables of §6.1): a PostgreSQL database read
 * with plain JDBC, its rows turned into the events the catalog's commands would have appended,
 * with their original times and the row each came from, and the run's progress and reconciliation
 * kept as events of its own.
 */
package dev.ordo.catalog.legacy;
