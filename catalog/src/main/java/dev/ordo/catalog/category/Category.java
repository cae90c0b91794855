package dev.ordo.catalog.category;

public record Category(String id, String name, String parentId) {

  public static final Category NONE = new Category(null, null, null);

  public boolean exists() {
    return id != null;
  }
}
