package dev.ordo.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a projection writes to an index with, inside one batch of the consumer mechanism: documents
 * by type and id, as sources. Nothing takes effect until the batch commits with its checkpoint;
 * {@link #get} sees what this batch wrote before.
 */
public interface IndexBatch {

  Optional<Map<String, Object>> get(String type, String id);

  /** Replaces the whole document. */
  void put(String type, String id, Map<String, Object> source);

  void delete(String type, String id);

  /**
   * Replaced and deleted documents are removed from the index files at this batch's commit, not at
   * some later merge: what a projection took out (forgotten personal data) is then gone from disk,
   * not only from search. Costly (segments are rewritten): for the rare batch that needs it.
   * OpenSearch keeps recent soft deletes for its recovery a while longer (see its index).
   */
  void purge();

  /** The ids of the documents whose keyword {@code field} holds {@code value} (as committed, then as this batch left them). */
  List<String> ids(String type, String field, String value);
}
