package dev.ordo.catalog.product;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

public record ProductImage(@NotNull ImageType imageType, @NotBlank @Size(max = 2000) String imageUrl,
    @PositiveOrZero int displayOrder) {

  public enum ImageType { PRIMARY, DETAIL }
}
