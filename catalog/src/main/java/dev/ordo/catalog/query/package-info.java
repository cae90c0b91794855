/** What the catalog's queries share: reading query parameters (sizes, cursors, positions) and the read models' table definitions. */
package dev.ordo.catalog.query;
