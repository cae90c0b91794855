package dev.ordo.catalog.product;

public enum ProductStatus { ACTIVE, HIDDEN, DELETED }
