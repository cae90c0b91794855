/**
 * Customer: what ordering keeps of a customer beyond their orders, for now only that their personal
 * data was forgotten (issue 14: crypto-shredding of the name, phone and address in their orders).
 */
package dev.ordo.ordering.customer;
