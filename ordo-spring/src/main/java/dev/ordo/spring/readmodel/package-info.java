/**
 * Read models in tables of the read database, as a context writes them: {@link
 * dev.ordo.spring.readmodel.TableProjection} (what each event changes, and the tables' DDL) and
 * {@link dev.ordo.spring.readmodel.StatementBatch} (one round trip for a batch's row changes).
 */
package dev.ordo.spring.readmodel;
