package dev.ordo.catalog.category;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public sealed interface CategoryCommand permits CategoryCommand.CreateCategory, CategoryCommand.RenameCategory {

  String categoryId();

  /** {@code parentId} null for a root category; the parent must exist (checked by the handler). */
  @HttpCommand(method = "POST", path = "/categories", id = "categoryId", creates = true,
      location = "/api/v1/categories/{id}")
  record CreateCategory(String categoryId, @NotBlank @Size(max = 100) String name, String parentId)
      implements CategoryCommand {}

  @HttpCommand(method = "POST", path = "/categories/{id}/rename", id = "categoryId")
  record RenameCategory(String categoryId, @NotBlank @Size(max = 100) String name) implements CategoryCommand {}
}
