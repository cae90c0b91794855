/**
 * Ordering (seeds 003, 004): orders, dispatch and delivery, and the fulfilment process that ties
 * them to the catalog's stock through events only.
 */
package dev.ordo.ordering;
