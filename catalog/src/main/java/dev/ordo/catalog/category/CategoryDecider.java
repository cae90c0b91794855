package dev.ordo.catalog.category;

import dev.ordo.catalog.category.CategoryCommand.CreateCategory;
import dev.ordo.catalog.category.CategoryCommand.RenameCategory;
import dev.ordo.catalog.category.CategoryEvent.CategoryCreated;
import dev.ordo.catalog.category.CategoryEvent.CategoryRenamed;
import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.command.CommandException;
import java.util.List;

public final class CategoryDecider implements Decider<CategoryCommand, Category, CategoryEvent> {

  @Override
  public Category initialState() {
    return Category.NONE;
  }

  @Override
  public List<CategoryEvent> decide(CategoryCommand command, Category category) {
    return switch (command) {
      case CreateCategory c when category.exists() ->
          throw CommandException.rule("category-exists", "category " + c.categoryId() + " exists");
      case CreateCategory c when c.categoryId().equals(c.parentId()) ->
          throw CommandException.rule("category-parent-self", "a category cannot be its own parent");
      case CreateCategory c -> List.of(new CategoryCreated(c.categoryId(), c.name().strip(), c.parentId()));
      case RenameCategory c when !category.exists() -> throw new CommandException.NotFound("category", c.categoryId());
      case RenameCategory c when c.name().strip().equals(category.name()) -> List.of();
      case RenameCategory c -> List.of(new CategoryRenamed(c.categoryId(), category.name(), c.name().strip()));
    };
  }

  @Override
  public Category evolve(Category category, CategoryEvent event) {
    return switch (event) {
      case CategoryCreated e -> new Category(e.categoryId(), e.name(), e.parentId());
      case CategoryRenamed e -> new Category(category.id(), e.newName(), category.parentId());
    };
  }
}
