/** A read-model service's way out when its read database cannot answer: the write service that owns the data. */
package dev.ordo.spring.fallback;
