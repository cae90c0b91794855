package dev.ordo.ordering.order;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Where an order goes; {@code express} delivers in 2 days instead of 5 (seed 004). */
public record ShippingAddress(
    @NotBlank @Size(max = 100) String recipient,
    @NotBlank @Pattern(regexp = "\\+?[0-9][0-9 -]{6,19}", message = "must be a phone number") String phone,
    @NotBlank @Size(max = 500) String address,
    @NotBlank @Pattern(regexp = "[0-9]{5}", message = "must be a 5-digit postal code") String zipCode,
    Boolean express) {

  public boolean isExpress() {
    return Boolean.TRUE.equals(express);
  }
}
