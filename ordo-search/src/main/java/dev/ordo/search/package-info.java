/**
 * One search API (ARCHITECTURE.md, {@code ordo-search}): a {@link dev.ordo.search.SearchSchema} says
 * what a document's fields are for, a projection writes documents through an {@link
 * dev.ordo.search.IndexBatch} as a target of the consumer mechanism, and a {@link
 * dev.ordo.search.SearchEngine} answers queries over Korean text.
 */
package dev.ordo.search;
