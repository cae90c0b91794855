/** A product: its commands, events and decider, the read models that follow it (product_read, product_history), its queries and its live stream. */
package dev.ordo.catalog.product;
