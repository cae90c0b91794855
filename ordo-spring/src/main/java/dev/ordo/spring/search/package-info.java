/** The application's search indexes: opened under the data directory, fed from the log, rebuilt, served. */
package dev.ordo.spring.search;
