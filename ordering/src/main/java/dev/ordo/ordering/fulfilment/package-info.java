/** Fulfilment. */
package dev.ordo.ordering.fulfilment;
