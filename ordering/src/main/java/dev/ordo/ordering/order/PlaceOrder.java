package dev.ordo.ordering.order;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An order as a client asks for it: products and quantities, never prices. Its handler prices it
 * from what ordering knows of the catalog and runs it as {@link OrderCommand.Place}.
 */
@HttpCommand(method = "POST", path = "/orders", id = "orderId", creates = true, location = "/api/v1/orders/{id}")
public record PlaceOrder(
    String orderId,
    @NotBlank @Size(max = 100) String userId,
    @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull Item> items,
    @NotNull @Valid ShippingAddress shippingAddress) {

  public record Item(@NotBlank @Size(max = 100) String productId, @NotNull @Min(1) @Max(10_000) Integer quantity) {}
}
