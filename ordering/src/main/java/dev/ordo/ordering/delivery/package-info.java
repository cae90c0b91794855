/** Delivery. */
package dev.ordo.ordering.delivery;
