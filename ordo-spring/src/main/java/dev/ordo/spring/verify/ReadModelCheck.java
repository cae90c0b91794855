package dev.ordo.spring.verify;

import java.util.List;
import java.util.Map;

/**
 * How a context's read model is held against the log (the reconciliation job, seed 000 §9.1.5):
 * what a row must say for an aggregate folded from its stream, and what the row says. Values are
 * compared as their JSON-ish Java forms (strings, longs, booleans), field by field.
 */
public interface ReadModelCheck {

  /** The read model, as {@code GET /api/v1/projections} names it ({@code product_read}). */
  String readModel();

  /** The aggregate whose streams feed it ({@code product}). */
  String streamType();

  /** The fields the row must hold, folded from the stream now; null when there must be no row. */
  Map<String, Object> expected(String id);

  /** The rows the read model holds for these ids (absent ids: no row). */
  Map<String, Map<String, Object>> stored(List<String> ids);

  /** Ids of rows after {@code after} (null: from the first), in order: rows no stream explains are found so. */
  List<String> ids(String after, int limit);
}
