package dev.ordo.catalog.store;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public sealed interface StoreCommand permits StoreCommand.RegisterStore, StoreCommand.RenameStore {

  String storeId();

  @HttpCommand(method = "POST", path = "/stores", id = "storeId", creates = true, location = "/api/v1/stores/{id}")
  record RegisterStore(String storeId, @NotBlank @Size(max = 100) String name) implements StoreCommand {}

  @HttpCommand(method = "POST", path = "/stores/{id}/rename", id = "storeId")
  record RenameStore(String storeId, @NotBlank @Size(max = 100) String name) implements StoreCommand {}
}
