package dev.ordo.catalog.product;

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
import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The product's rules (seed 002 §4, API.md "Catalog"). */
public final class ProductDecider implements Decider<ProductCommand, Product, ProductEvent> {

  @Override
  public Product initialState() {
    return Product.NONE;
  }

  @Override
  public List<ProductEvent> decide(ProductCommand command, Product product) {
    return switch (command) {
      case RegisterProduct c when product.exists() ->
          throw CommandException.rule("product-exists", "product " + c.productId() + " exists");
      case RegisterProduct c -> List.of(new ProductRegistered(c.productId(), c.storeId(), c.categoryId(),
          c.name().strip(), c.price(), c.stockQuantity(), c.thumbnailUrl(), c.description(),
          c.images() == null ? List.of() : List.copyOf(c.images()), terms(c.tags()), terms(c.keywords())));
      // Stock for orders comes before the checks below: a process sends these, and an exception would
      // stop it, so every answer is an event or nothing, whatever the product's state.
      case ReserveStock c when product.reservations().containsKey(c.orderId()) -> List.of();
      case ReserveStock c when c.quantity() < 1 -> refuse(c, 0, "invalid-quantity");
      case ReserveStock c when !product.exists() || product.status() != ProductStatus.ACTIVE ->
          refuse(c, 0, "product-not-available");
      case ReserveStock c when product.stock() < c.quantity() -> refuse(c, product.stock(), "insufficient-stock");
      case ReserveStock c ->
          List.of(new StockReserved(c.productId(), c.orderId(), c.quantity(), product.stock() - c.quantity()));
      case ReleaseStock c when !product.reservations().containsKey(c.orderId()) -> List.of();
      case ReleaseStock c -> {
        long held = product.reservations().get(c.orderId());
        yield List.of(new StockReleased(c.productId(), c.orderId(), held, product.stock() + held));
      }
      case SettleReservation c when !product.reservations().containsKey(c.orderId()) -> List.of();
      case SettleReservation c ->
          List.of(new ReservationSettled(c.productId(), c.orderId(), product.reservations().get(c.orderId())));
      case ProductCommand c when !product.exists() -> throw new CommandException.NotFound("product", c.productId());
      case RestoreProduct c when product.status() == ProductStatus.ACTIVE -> List.of();
      case RestoreProduct c -> List.of(new ProductRestored(c.productId()));
      case DeleteProduct c when product.status() == ProductStatus.DELETED -> List.of();
      case DeleteProduct c -> List.of(new ProductDeleted(c.productId(), c.reason()));
      case ProductCommand c when product.status() == ProductStatus.DELETED ->
          throw CommandException.rule("product-deleted", "product " + c.productId() + " is deleted");
      case UpdateProductInfo c -> infoChanges(c, product);
      case ChangePrice c when c.price() < 0 -> throw CommandException.rule("price-negative", "a price cannot be negative");
      case ChangePrice c when c.price() > 2 * product.price() -> throw CommandException.rule(
          "price-increase-over-100-percent",
          "a price can at most double: " + product.price() + " allows at most " + 2 * product.price());
      case ChangePrice c when c.price() == product.price() -> List.of();
      case ChangePrice c -> List.of(new PriceChanged(c.productId(), product.price(), c.price(), c.reason()));
      case AdjustStock c when c.delta() == 0 -> List.of();
      case AdjustStock c when product.stock() + c.delta() < 0 -> throw CommandException.rule("insufficient-stock",
          "stock " + product.stock() + " cannot go down by " + -c.delta());
      case AdjustStock c -> List.of(new StockAdjusted(c.productId(), c.delta(), c.reason(), c.relatedOrderId(),
          product.stock() + c.delta()));
      case HideProduct c when product.status() == ProductStatus.HIDDEN -> List.of();
      case HideProduct c -> List.of(new ProductHidden(c.productId()));
      case AddReview c when c.rating() < 1 || c.rating() > 5 ->
          throw CommandException.rule("rating-out-of-range", "a rating is from 1 to 5");
      case AddReview c -> List.of(new ReviewAdded(c.productId(), c.rating(), c.comment()));
    };
  }

  private static List<ProductEvent> refuse(ReserveStock c, long available, String reason) {
    return List.of(new StockReservationRefused(c.productId(), c.orderId(), c.quantity(), available, reason));
  }

  private static List<ProductEvent> infoChanges(UpdateProductInfo c, Product p) {
    var changes = new Changes(
        change(p.name(), c.name() == null ? null : c.name().strip()),
        change(p.description(), c.description()),
        change(p.thumbnailUrl(), c.thumbnailUrl()),
        change(p.categoryId(), c.categoryId()),
        change(p.images(), c.images() == null ? null : List.copyOf(c.images())),
        change(p.tags(), c.tags() == null ? null : terms(c.tags())),
        change(p.keywords(), c.keywords() == null ? null : terms(c.keywords())));
    return changes.isEmpty() ? List.of() : List.of(new ProductInfoUpdated(c.productId(), changes));
  }

  /** Tags or keywords as kept: trimmed, each once whatever its case, the first spelling winning, in order. */
  static List<String> terms(List<String> requested) {
    if (requested == null) {
      return List.of();
    }
    Map<String, String> byFolded = new LinkedHashMap<>();
    for (String term : requested) {
      String trimmed = term.strip();
      byFolded.putIfAbsent(trimmed.toLowerCase(Locale.ROOT), trimmed);
    }
    return List.copyOf(byFolded.values());
  }

  /** A change when a new value is given and differs from the old one. */
  private static <T> Change<T> change(T old, T requested) {
    return requested == null || Objects.equals(old, requested) ? null : new Change<>(old, requested);
  }

  @Override
  public Product evolve(Product p, ProductEvent event) {
    return switch (event) {
      case ProductRegistered e -> new Product(e.productId(), e.storeId(), e.categoryId(), e.name(), e.description(),
          e.thumbnailUrl(), e.images(), e.tags(), e.keywords(), e.price(), e.stockQuantity(), ProductStatus.ACTIVE, 0,
          0, Map.of());
      case ProductInfoUpdated e -> {
        Changes c = e.changes();
        yield new Product(p.id(), p.storeId(),
            c.categoryId() == null ? p.categoryId() : c.categoryId().newValue(),
            c.name() == null ? p.name() : c.name().newValue(),
            c.description() == null ? p.description() : c.description().newValue(),
            c.thumbnailUrl() == null ? p.thumbnailUrl() : c.thumbnailUrl().newValue(),
            c.images() == null ? p.images() : c.images().newValue(),
            c.tags() == null ? p.tags() : c.tags().newValue(),
            c.keywords() == null ? p.keywords() : c.keywords().newValue(),
            p.price(), p.stock(), p.status(), p.reviewCount(), p.ratingSum(), p.reservations());
      }
      case PriceChanged e -> withPriceAndStock(p, e.newPrice(), p.stock(), p.status());
      case StockAdjusted e -> withPriceAndStock(p, p.price(), e.stockAfter(), p.status());
      case ProductHidden e -> withPriceAndStock(p, p.price(), p.stock(), ProductStatus.HIDDEN);
      case ProductRestored e -> withPriceAndStock(p, p.price(), p.stock(), ProductStatus.ACTIVE);
      case ProductDeleted e -> withPriceAndStock(p, p.price(), p.stock(), ProductStatus.DELETED);
      case ReviewAdded e -> new Product(p.id(), p.storeId(), p.categoryId(), p.name(), p.description(),
          p.thumbnailUrl(), p.images(), p.tags(), p.keywords(), p.price(), p.stock(), p.status(), p.reviewCount() + 1,
          p.ratingSum() + e.rating(), p.reservations());
      case StockReserved e -> withStock(p, e.stockAfter(), held(p.reservations(), e.orderId(), e.quantity()));
      case StockReservationRefused e -> p; // remembered by the command log, not here: the state stays small
      case StockReleased e -> withStock(p, e.stockAfter(), held(p.reservations(), e.orderId(), null));
      case ReservationSettled e -> withStock(p, p.stock(), held(p.reservations(), e.orderId(), null));
    };
  }

  private static Product withPriceAndStock(Product p, long price, long stock, ProductStatus status) {
    return new Product(p.id(), p.storeId(), p.categoryId(), p.name(), p.description(), p.thumbnailUrl(), p.images(),
        p.tags(), p.keywords(), price, stock, status, p.reviewCount(), p.ratingSum(), p.reservations());
  }

  private static Product withStock(Product p, long stock, Map<String, Long> reservations) {
    return new Product(p.id(), p.storeId(), p.categoryId(), p.name(), p.description(), p.thumbnailUrl(), p.images(),
        p.tags(), p.keywords(), p.price(), stock, p.status(), p.reviewCount(), p.ratingSum(), reservations);
  }

  /** The reservations with the order holding {@code quantity}, or none when it is null. */
  private static Map<String, Long> held(Map<String, Long> reservations, String orderId, Long quantity) {
    var changed = new HashMap<>(reservations);
    if (quantity == null) {
      changed.remove(orderId);
    } else {
      changed.put(orderId, quantity);
    }
    return changed;
  }
}
