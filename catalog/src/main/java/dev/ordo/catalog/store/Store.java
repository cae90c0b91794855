package dev.ordo.catalog.store;

/** A store as its commands need it; {@code id} is null until it is registered. */
public record Store(String id, String name) {

  public static final Store NONE = new Store(null, null);

  public boolean exists() {
    return id != null;
  }
}
