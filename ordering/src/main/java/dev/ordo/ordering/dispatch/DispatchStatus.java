package dev.ordo.ordering.dispatch;

/** A dispatch waits for a rider, is assigned, accepted (or declined: waiting again), picked up; or cancelled. */
public enum DispatchStatus { WAITING, ASSIGNED, ACCEPTED, PICKED_UP, CANCELLED }
