/** A store (seller): its commands, events, decider and queries. */
package dev.ordo.catalog.store;
