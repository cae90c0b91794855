package dev.ordo.ordering.order;

/** How an order was paid; a refund goes back the same way. */
public enum PaymentMethod { CARD, BANK_TRANSFER, VIRTUAL_ACCOUNT, MOBILE, POINTS }
