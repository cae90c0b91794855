package dev.ordo.catalog.category;

import dev.ordo.catalog.category.CategoryCommand.CreateCategory;
import dev.ordo.catalog.category.CategoryCommand.RenameCategory;
import dev.ordo.catalog.category.CategoryEvent.CategoryCreated;
import dev.ordo.catalog.category.CategoryEvent.CategoryRenamed;
import dev.ordo.test.DeciderFixture;
import org.junit.jupiter.api.Test;

class CategoryDeciderTests {

  private final DeciderFixture<CategoryCommand, Category, CategoryEvent> category =
      DeciderFixture.of(new CategoryDecider());

  @Test
  void createsUnderAParentAndRenames() {
    category.given().when(new CreateCategory("c", "모바일", "root")).then(new CategoryCreated("c", "모바일", "root"));
    category.given(new CategoryCreated("c", "모바일", "root")).when(new RenameCategory("c", "스마트폰"))
        .then(new CategoryRenamed("c", "모바일", "스마트폰"));
  }

  @Test
  void aCategoryIsCreatedOnceAndIsNotItsOwnParent() {
    category.given(new CategoryCreated("c", "a", null)).when(new CreateCategory("c", "b", null))
        .thenRuleBroken("category-exists");
    category.given().when(new CreateCategory("c", "b", "c")).thenRuleBroken("category-parent-self");
    category.given().when(new RenameCategory("c", "b")).thenNotFound();
  }
}
