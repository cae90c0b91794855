/**
 * The embedded engine: Lucene indexes under the data directory, in generations that a rebuild
 * replaces atomically, written by the consumer mechanism with the checkpoint in each commit.
 */
package dev.ordo.search.lucene;
