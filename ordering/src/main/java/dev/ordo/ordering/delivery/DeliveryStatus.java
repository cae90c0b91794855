package dev.ordo.ordering.delivery;

/** A delivery is under way from the pick-up until it is completed. */
public enum DeliveryStatus { IN_TRANSIT, COMPLETED }
