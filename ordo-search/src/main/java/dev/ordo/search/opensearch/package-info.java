/**
 * OpenSearch with analysis-nori as the engine of an index: generations behind an alias, written by
 * the consumer mechanism with external versions and a checkpoint document, searched with the same
 * semantics as the embedded engine.
 */
package dev.ordo.search.opensearch;
