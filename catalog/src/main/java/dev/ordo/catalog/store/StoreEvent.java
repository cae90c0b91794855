package dev.ordo.catalog.store;

public sealed interface StoreEvent permits StoreEvent.StoreRegistered, StoreEvent.StoreRenamed {

  record StoreRegistered(String storeId, String name) implements StoreEvent {}

  record StoreRenamed(String storeId, String oldName, String newName) implements StoreEvent {}
}
