package dev.ordo.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.ProductCommand.AddReview;
import dev.ordo.catalog.product.ProductCommand.AdjustStock;
import dev.ordo.catalog.product.ProductCommand.ChangePrice;
import dev.ordo.catalog.product.ProductCommand.DeleteProduct;
import dev.ordo.catalog.product.ProductCommand.HideProduct;
import dev.ordo.catalog.product.ProductCommand.RegisterProduct;
import dev.ordo.catalog.product.ProductCommand.ReleaseStock;
import dev.ordo.catalog.product.ProductCommand.ReserveStock;
import dev.ordo.catalog.product.ProductCommand.RestoreProduct;
import dev.ordo.catalog.product.ProductCommand.SettleReservation;
import dev.ordo.catalog.product.ProductCommand.UpdateProductInfo;
import dev.ordo.catalog.product.ProductEvent.Change;
import dev.ordo.catalog.product.ProductEvent.Changes;
import dev.ordo.catalog.product.ProductEvent.PriceChanged;
import dev.ordo.catalog.product.ProductEvent.ProductDeleted;
import dev.ordo.catalog.product.ProductEvent.ProductHidden;
import dev.ordo.catalog.product.ProductEvent.ProductInfoUpdated;
import dev.ordo.catalog.product.ProductEvent.ProductRegistered;
import dev.ordo.catalog.product.ProductEvent.ProductRestored;
import dev.ordo.catalog.product.ProductEvent.ReservationSettled;
import dev.ordo.catalog.product.ProductEvent.ReviewAdded;
import dev.ordo.catalog.product.ProductEvent.StockAdjusted;
import dev.ordo.catalog.product.ProductEvent.StockReleased;
import dev.ordo.catalog.product.ProductEvent.StockReservationRefused;
import dev.ordo.catalog.product.ProductEvent.StockReserved;
import dev.ordo.test.DeciderFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProductDeciderTests {

  private static final String ID = "p-1";
  private static final ProductRegistered REGISTERED =
      new ProductRegistered(ID, "s-1", "c-1", "Galaxy", 1_000, 5, "thumb.jpg", "phone", List.of(), List.of(),
          List.of());

  private final DeciderFixture<ProductCommand, Product, ProductEvent> product = DeciderFixture.of(new ProductDecider());

  @Test
  void registersAProduct() {
    product.given()
        .when(new RegisterProduct(ID, "s-1", "c-1", " Galaxy ", 1_000L, 5L, "thumb.jpg", "phone", null, null, null))
        .then(REGISTERED);
  }

  @Test
  void tagsAndKeywordsAreKeptTrimmedAndOnceWhateverTheirCase() {
    product.given()
        .when(new RegisterProduct(ID, "s-1", "c-1", "Galaxy", 1_000L, 5L, null, null, null,
            List.of(" Phone ", "5G", "phone", "PHONE "), List.of("galaxy s25", "Galaxy S25", " 갤럭시 ")))
        .then(new ProductRegistered(ID, "s-1", "c-1", "Galaxy", 1_000, 5, null, null, List.of(), List.of("Phone", "5G"),
            List.of("galaxy s25", "갤럭시")));
  }

  @Test
  void tagsAndKeywordsAreReplacedAndTheChangeRecorded() {
    var tagged = new ProductRegistered(ID, "s-1", "c-1", "Galaxy", 1_000, 5, null, null, List.of(),
        List.of("phone"), List.of("galaxy"));
    product.given(tagged)
        .when(new UpdateProductInfo(ID, null, null, null, null, null, List.of("phone", " sale "), List.of()))
        .then(new ProductInfoUpdated(ID, new Changes(null, null, null, null, null,
            new Change<>(List.of("phone"), List.of("phone", "sale")), new Change<>(List.of("galaxy"), List.of()))));
    product.given(tagged)
        .when(new UpdateProductInfo(ID, null, null, null, null, null, List.of("Phone"), List.of("galaxy ")))
        .then(new ProductInfoUpdated(ID, new Changes(null, null, null, null, null,
            new Change<>(List.of("phone"), List.of("Phone")), null)));
    product.given(tagged).when(new UpdateProductInfo(ID, null, null, null, null, null, List.of(" phone"), null))
        .thenNothing();
  }

  @Test
  void aProductIsRegisteredOnce() {
    product.given(REGISTERED)
        .when(new RegisterProduct(ID, "s-1", "c-1", "Galaxy", 1_000L, 5L, null, null, null, null, null))
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
        .when(new UpdateProductInfo(ID, "Galaxy", "new phone", null, "c-2", images, null, null))
        .then(new ProductInfoUpdated(ID, new Changes(null, new Change<>("phone", "new phone"), null,
            new Change<>("c-1", "c-2"), new Change<>(List.of(), images), null, null)));
    product.given(REGISTERED).when(new UpdateProductInfo(ID, "Galaxy", "phone", null, null, null, List.of(), null))
        .thenNothing();
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

  private static final String ORDER = "o-1";
  private static final StockReserved RESERVED = new StockReserved(ID, ORDER, 2, 3);

  @Test
  void aReservationTakesTheQuantityOffTheStockAndIsHeldForTheOrder() {
    Product after = product.given(REGISTERED).when(new ReserveStock(ID, ORDER, 2L)).then(RESERVED);
    assertThat(after.stock()).isEqualTo(3);
    assertThat(after.reservations()).isEqualTo(Map.of(ORDER, 2L));
    product.given(REGISTERED).when(new ReserveStock(ID, ORDER, 5L)).then(new StockReserved(ID, ORDER, 5, 0));
  }

  @Test
  void aReservationOverTheStockIsRefusedWithWhatIsAvailable() {
    Product after = product.given(REGISTERED).when(new ReserveStock(ID, ORDER, 6L))
        .then(new StockReservationRefused(ID, ORDER, 6, 5, "insufficient-stock"));
    assertThat(after.stock()).isEqualTo(5);
    assertThat(after.reservations()).isEmpty();
    product.given(REGISTERED, new StockReserved(ID, "o-0", 4, 1)).when(new ReserveStock(ID, ORDER, 2L))
        .then(new StockReservationRefused(ID, ORDER, 2, 1, "insufficient-stock"));
  }

  @Test
  void aProductHiddenDeletedOrNeverRegisteredRefusesReservationsWithoutBreakingARule() {
    product.given(REGISTERED, new ProductHidden(ID)).when(new ReserveStock(ID, ORDER, 1L))
        .then(new StockReservationRefused(ID, ORDER, 1, 0, "product-not-available"));
    product.given(REGISTERED, new ProductDeleted(ID, null)).when(new ReserveStock(ID, ORDER, 1L))
        .then(new StockReservationRefused(ID, ORDER, 1, 0, "product-not-available"));
    product.given().when(new ReserveStock(ID, ORDER, 1L))
        .then(new StockReservationRefused(ID, ORDER, 1, 0, "product-not-available"));
  }

  @Test
  void aQuantityBelowOneIsRefused() {
    product.given(REGISTERED).when(new ReserveStock(ID, ORDER, 0L))
        .then(new StockReservationRefused(ID, ORDER, 0, 0, "invalid-quantity"));
  }

  @Test
  void aProductReservesOncePerOrder() {
    product.given(REGISTERED, RESERVED).when(new ReserveStock(ID, ORDER, 2L)).thenNothing();
    product.given(REGISTERED, RESERVED).when(new ReserveStock(ID, ORDER, 1L)).thenNothing();
    product.given(REGISTERED, RESERVED).when(new ReserveStock(ID, "o-2", 3L)).then(new StockReserved(ID, "o-2", 3, 0));
  }

  @Test
  void aReleaseGivesBackWhatTheProductHoldsForTheOrderOnce() {
    Product after = product.given(REGISTERED, RESERVED).when(new ReleaseStock(ID, ORDER))
        .then(new StockReleased(ID, ORDER, 2, 5));
    assertThat(after.reservations()).isEmpty();
    product.given(REGISTERED, RESERVED, new StockReleased(ID, ORDER, 2, 5)).when(new ReleaseStock(ID, ORDER))
        .thenNothing();
  }

  @Test
  void aReleaseOfAnOrderHoldingNothingChangesNothing() {
    product.given(REGISTERED).when(new ReleaseStock(ID, ORDER)).thenNothing();
    product.given(REGISTERED, new StockReservationRefused(ID, ORDER, 6, 5, "insufficient-stock"))
        .when(new ReleaseStock(ID, ORDER)).thenNothing();
    product.given(REGISTERED, RESERVED).when(new ReleaseStock(ID, "o-2")).thenNothing();
    product.given().when(new ReleaseStock(ID, ORDER)).thenNothing();
  }

  @Test
  void aProductHiddenOrDeletedStillGivesBackAndSellsWhatItHolds() {
    product.given(REGISTERED, RESERVED, new ProductDeleted(ID, null)).when(new ReleaseStock(ID, ORDER))
        .then(new StockReleased(ID, ORDER, 2, 5));
    product.given(REGISTERED, RESERVED, new ProductHidden(ID)).when(new SettleReservation(ID, ORDER))
        .then(new ReservationSettled(ID, ORDER, 2));
  }

  @Test
  void aSettledReservationIsSoldTheStockStaysDownAndNothingIsLeftToRelease() {
    Product after = product.given(REGISTERED, RESERVED).when(new SettleReservation(ID, ORDER))
        .then(new ReservationSettled(ID, ORDER, 2));
    assertThat(after.stock()).isEqualTo(3);
    assertThat(after.reservations()).isEmpty();
    var settled = new ReservationSettled(ID, ORDER, 2);
    product.given(REGISTERED, RESERVED, settled).when(new SettleReservation(ID, ORDER)).thenNothing();
    product.given(REGISTERED, RESERVED, settled).when(new ReleaseStock(ID, ORDER)).thenNothing();
    product.given(REGISTERED).when(new SettleReservation(ID, ORDER)).thenNothing();
  }

  @Test
  void stockAdjustmentsLeaveReservationsAlone() {
    Product after = product.given(REGISTERED, RESERVED).when(new AdjustStock(ID, -3L, StockReason.MANUAL_ADJUSTMENT, null))
        .then(new StockAdjusted(ID, -3, StockReason.MANUAL_ADJUSTMENT, null, 0));
    assertThat(after.reservations()).isEqualTo(Map.of(ORDER, 2L));
    product.given(REGISTERED, RESERVED, new StockAdjusted(ID, -3, StockReason.MANUAL_ADJUSTMENT, null, 0))
        .when(new ReleaseStock(ID, ORDER)).then(new StockReleased(ID, ORDER, 2, 2));
  }
}
