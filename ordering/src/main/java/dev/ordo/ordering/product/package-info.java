/** Product. */
package dev.ordo.ordering.product;
