/** A category of the tree: its commands, events, decider and queries. */
package dev.ordo.catalog.category;
