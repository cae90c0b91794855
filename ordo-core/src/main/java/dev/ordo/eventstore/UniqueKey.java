package dev.ordo.eventstore;

/**
 * A value only one stream may hold at a time within a scope, such as a product name within a
 * store. Claimed and released in the same transaction as an append, so uniqueness is decided by
 * the database, not by a racy read beforehand.
 */
public record UniqueKey(String scope, String value) {

  public UniqueKey {
    if (scope == null || scope.isBlank() || value == null) {
      throw new IllegalArgumentException("a unique key needs a scope and a value");
    }
  }
}
