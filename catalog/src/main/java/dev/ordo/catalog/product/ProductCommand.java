package dev.ordo.catalog.product;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * What can be asked of a product (API.md "Catalog"). Shape checks are annotations, answered 400
 * before the command runs; business rules live in {@link ProductDecider}, answered 422.
 */
public sealed interface ProductCommand {

  String productId();

  /**
   * The store and the category must exist and the name be free in the store (checked with the append).
   * Tags and keywords are kept trimmed, each once whatever its case (the first spelling wins).
   */
  @HttpCommand(method = "POST", path = "/products", id = "productId", creates = true,
      location = "/api/v1/products/{id}")
  record RegisterProduct(
      String productId,
      @NotBlank String storeId,
      @NotBlank String categoryId,
      @NotBlank @Size(max = 200) String name,
      @NotNull @PositiveOrZero Long price,
      @NotNull @PositiveOrZero Long stockQuantity,
      @Size(max = 2000) String thumbnailUrl,
      @Size(max = 10_000) String description,
      @Size(max = 50) List<@Valid @NotNull ProductImage> images,
      @Size(max = 20) List<@NotNull @Term(max = 30) String> tags,
      @Size(max = 20) List<@NotNull @Term(max = 50) String> keywords) implements ProductCommand {}

  /**
   * Only the fields present change; a null field is left as it is. {@code tags} and {@code keywords}
   * replace the lists ({@code []} empties them).
   */
  @HttpCommand(method = "PATCH", path = "/products/{id}", id = "productId")
  record UpdateProductInfo(
      String productId,
      @Size(min = 1, max = 200) String name,
      @Size(max = 10_000) String description,
      @Size(max = 2000) String thumbnailUrl,
      @Size(min = 1) String categoryId,
      @Size(max = 50) List<@Valid @NotNull ProductImage> images,
      @Size(max = 20) List<@NotNull @Term(max = 30) String> tags,
      @Size(max = 20) List<@NotNull @Term(max = 50) String> keywords) implements ProductCommand {}

  @HttpCommand(method = "PUT", path = "/products/{id}/price", id = "productId")
  record ChangePrice(String productId, @NotNull @PositiveOrZero Long price, @Size(max = 500) String reason)
      implements ProductCommand {}

  @HttpCommand(method = "POST", path = "/products/{id}/stock-adjustments", id = "productId")
  record AdjustStock(String productId, @NotNull Long delta, @NotNull StockReason reason, UUID relatedOrderId)
      implements ProductCommand {}

  @HttpCommand(method = "POST", path = "/products/{id}/hide", id = "productId")
  record HideProduct(String productId) implements ProductCommand {}

  @HttpCommand(method = "POST", path = "/products/{id}/restore", id = "productId")
  record RestoreProduct(String productId) implements ProductCommand {}

  /** Soft: the product stays in the log and can be restored. */
  @HttpCommand(method = "DELETE", path = "/products/{id}", id = "productId")
  record DeleteProduct(String productId, @Size(max = 500) String reason) implements ProductCommand {}

  @HttpCommand(method = "POST", path = "/products/{id}/reviews", id = "productId")
  record AddReview(String productId, @NotNull @Min(1) @Max(5) Integer rating, @Size(max = 5_000) String comment)
      implements ProductCommand {}

  /*
   * Stock held for orders (seed 003's stock reservation), sent by OrderStock, not over HTTP. Each is
   * answered by the product's own state, so they may arrive repeated or in any order: a product
   * reserves once per order, and gives back or sells only what it holds for that order.
   */

  /** Answered by StockReserved or StockReservationRefused, never by a broken rule; nothing when held already. */
  record ReserveStock(String productId, String orderId, long quantity) implements ProductCommand {}

  /** Gives back what the product holds for the order; nothing when it holds nothing. */
  record ReleaseStock(String productId, String orderId) implements ProductCommand {}

  /** What the product holds for the order is sold: the stock stays down and the reservation goes. */
  record SettleReservation(String productId, String orderId) implements ProductCommand {}
}
