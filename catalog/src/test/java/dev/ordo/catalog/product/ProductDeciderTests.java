package dev.ordo.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.ProductCommand.AddReview;
import dev.ordo.catalog.product.ProductCommand.AdjustStock;
import dev.ordo.catalog.product.ProductCommand.ChangePrice;
import dev.ordo.catalog.product.ProductCommand.DeleteProduct;
import dev.ordo.catalog.product.ProductCommand.HideProduct;
import dev.ordo.catalog.product.ProductCommand.RegisterProduct;
import dev.ordo.catalog.product.ProductCommand.RestoreProduct;
import dev.ordo.catalog.product.ProductCommand.UpdateProductInfo;
import dev.ordo.catalog.product.ProductEvent.Change;
import dev.ordo.catalog.product.ProductEvent.Changes;
import dev.ordo.catalog.product.ProductEvent.PriceChanged;
import dev.ordo.catalog.product.ProductEvent.ProductDeleted;
import dev.ordo.catalog.product.ProductEvent.ProductHidden;
import dev.ordo.catalog.product.ProductEvent.ProductInfoUpdated;
import dev.ordo.catalog.product.ProductEvent.ProductRegistered;
import dev.ordo.catalog.product.ProductEvent.ProductRestored;
import dev.ordo.catalog.product.ProductEvent.ReviewAdded;
import dev.ordo.catalog.product.ProductEvent.StockAdjusted;
import dev.ordo.test.DeciderFixture;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProductDeciderTests {

  private static final String ID = "p-1";
  private static final ProductRegistered REGISTERED =
      new ProductRegistered(ID, "s-1", "c-1", "Galaxy", 1_000, 5, "thumb.jpg", "phone", List.of());

  private final DeciderFixture<ProductCommand, Product, ProductEvent> product = DeciderFixture.of(new ProductDecider());

  @Test
  void registersAProduct() {
    product.given()
        .when(new RegisterProduct(ID, "s-1", "c-1", " Galaxy ", 1_000L, 5L, "thumb.jpg", "phone", null))
        .then(REGISTERED);
  }

  @Test
  void aProductIsRegisteredOnce() {
    product.given(REGISTERED)
        .when(new RegisterProduct(ID, "s-1", "c-1", "Galaxy", 1_000L, 5L, null, null, null))
        .thenRuleBroken("product-exists");
  }

  @Test
  void commandsOnAnUnknownProductAreNotFound() {
    product.given().when(new ChangePrice(ID, 10L, null)).thenNotFound();
    product.given().when(new AdjustStock(ID, 1L, StockReason.RETURN, null)).thenNotFound();
    product.given().when(new HideProduct(ID)).thenNotFound();
  }

  @Test
  void aPriceMayAtMostDouble() {
    product.given(REGISTERED).when(new ChangePrice(ID, 2_000L, "sale over")).then(
        new PriceChanged(ID, 1_000, 2_000, "sale over"));
    product.given(REGISTERED).when(new ChangePrice(ID, 2_001L, null)).thenRuleBroken("price-increase-over-100-percent");
  }

  @Test
  void aPriceIsNeverNegativeAndMayDropToZero() {
    product.given(REGISTERED).when(new ChangePrice(ID, -1L, null)).thenRuleBroken("price-negative");
    product.given(REGISTERED).when(new ChangePrice(ID, 0L, "free")).then(new PriceChanged(ID, 1_000, 0, "free"));
  }

  @Test
  void theSamePriceChangesNothing() {
    product.given(REGISTERED).when(new ChangePrice(ID, 1_000L, null)).thenNothing();
  }

  @Test
  void stockNeverGoesBelowZero() {
    UUID order = UUID.randomUUID();
    product.given(REGISTERED).when(new AdjustStock(ID, -5L, StockReason.ORDER, order))
        .then(new StockAdjusted(ID, -5, StockReason.ORDER, order, 0));
    product.given(REGISTERED).when(new AdjustStock(ID, -6L, StockReason.ORDER, order))
        .thenRuleBroken("insufficient-stock");
    product.given(REGISTERED).when(new AdjustStock(ID, 3L, StockReason.RETURN, order))
        .then(new StockAdjusted(ID, 3, StockReason.RETURN, order, 8));
  }

  @Test
  void infoUpdatesRecordOnlyTheFieldsThatChange() {
    var images = List.of(new ProductImage(ProductImage.ImageType.PRIMARY, "a.jpg", 0));
    product.given(REGISTERED)
        .when(new UpdateProductInfo(ID, "Galaxy", "new phone", null, "c-2", images))
        .then(new ProductInfoUpdated(ID, new Changes(null, new Change<>("phone", "new phone"), null,
            new Change<>("c-1", "c-2"), new Change<>(List.of(), images))));
    product.given(REGISTERED).when(new UpdateProductInfo(ID, "Galaxy", "phone", null, null, null)).thenNothing();
  }

  @Test
  void hidingRestoringAndDeleting() {
    product.given(REGISTERED).when(new HideProduct(ID)).then(new ProductHidden(ID));
    product.given(REGISTERED, new ProductHidden(ID)).when(new HideProduct(ID)).thenNothing();
    product.given(REGISTERED, new ProductHidden(ID)).when(new RestoreProduct(ID)).then(new ProductRestored(ID));
    product.given(REGISTERED).when(new RestoreProduct(ID)).thenNothing();
    product.given(REGISTERED).when(new DeleteProduct(ID, "gone")).then(new ProductDeleted(ID, "gone"));
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new DeleteProduct(ID, null)).thenNothing();
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new RestoreProduct(ID)).then(new ProductRestored(ID));
  }

  @Test
  void aDeletedProductTakesNoOtherCommand() {
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new ChangePrice(ID, 900L, null))
        .thenRuleBroken("product-deleted");
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new AdjustStock(ID, 1L, StockReason.RETURN, null))
        .thenRuleBroken("product-deleted");
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new AddReview(ID, 5, null))
        .thenRuleBroken("product-deleted");
  }

  @Test
  void reviewsRateFromOneToFive() {
    Product after = product.given(REGISTERED).when(new AddReview(ID, 4, "good")).then(new ReviewAdded(ID, 4, "good"));
    assertThat(after.reviewCount()).isEqualTo(1);
    assertThat(after.ratingSum()).isEqualTo(4);
    product.given(REGISTERED).when(new AddReview(ID, 6, null)).thenRuleBroken("rating-out-of-range");
    product.given(REGISTERED).when(new AddReview(ID, 0, null)).thenRuleBroken("rating-out-of-range");
  }
}
