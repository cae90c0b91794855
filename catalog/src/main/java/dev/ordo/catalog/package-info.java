/** The catalog context (seeds 000, 002): stores, categories and products, wired into a Spring application by {@link dev.ordo.catalog.CatalogConfiguration}. */
package dev.ordo.catalog;
