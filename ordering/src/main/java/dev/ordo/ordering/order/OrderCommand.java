package dev.ordo.ordering.order;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * What can be asked of an order (API.md "Ordering"). Commands without a route come from the
 * fulfilment process and the payment deadlines; a time a command carries is the server's clock,
 * set by its handler, so the decider stays a pure function.
 */
public sealed interface OrderCommand {

  String orderId();

  /** {@link PlaceOrder} priced from the catalog by its handler. */
  record Place(String orderId, String userId, List<OrderItem> items, ShippingAddress shippingAddress,
      Instant paymentDueAt) implements OrderCommand {}

  /** From the fulfilment process: the catalog reserved one product's stock for the order. */
  record ConfirmReservation(String orderId, String productId) implements OrderCommand {}

  /** From the fulfilment process: the catalog refused one product. */
  record RejectOrder(String orderId, String productId, String reason) implements OrderCommand {}

  @HttpCommand(method = "POST", path = "/orders/{id}/approve", id = "orderId")
  record ApproveOrder(String orderId) implements OrderCommand {}

  @HttpCommand(method = "POST", path = "/orders/{id}/pay", id = "orderId")
  record PayOrder(String orderId, @NotNull PaymentMethod method, @JsonIgnore Instant at) implements OrderCommand {}

  @HttpCommand(method = "POST", path = "/orders/{id}/ship", id = "orderId")
  record ShipOrder(String orderId, @NotBlank @Size(max = 100) String trackingNumber) implements OrderCommand {}

  /** From the fulfilment process, when the delivery is completed. */
  record DeliverOrder(String orderId) implements OrderCommand {}

  @HttpCommand(method = "POST", path = "/orders/{id}/cancel", id = "orderId")
  record CancelOrder(String orderId, @Size(max = 500) String reason) implements OrderCommand {}

  /** From the payment deadlines. */
  record ExpireOrder(String orderId, Instant at) implements OrderCommand {}
}
