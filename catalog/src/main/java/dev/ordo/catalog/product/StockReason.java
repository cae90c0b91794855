package dev.ordo.catalog.product;

public enum StockReason { ORDER, RETURN, MANUAL_ADJUSTMENT }
