/** Order. */
package dev.ordo.ordering.order;
