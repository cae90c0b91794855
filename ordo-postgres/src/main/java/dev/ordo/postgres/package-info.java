/** Ordo on PostgreSQL: the migrations and what every part shares (statements, sorting database failures). */
package dev.ordo.postgres;
