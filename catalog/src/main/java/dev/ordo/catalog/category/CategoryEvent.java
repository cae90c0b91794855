package dev.ordo.catalog.category;

public sealed interface CategoryEvent permits CategoryEvent.CategoryCreated, CategoryEvent.CategoryRenamed {

  record CategoryCreated(String categoryId, String name, String parentId) implements CategoryEvent {}

  record CategoryRenamed(String categoryId, String oldName, String newName) implements CategoryEvent {}
}
