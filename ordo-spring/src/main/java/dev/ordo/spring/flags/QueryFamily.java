package dev.ordo.spring.flags;

/**
 * A family of queries that can answer from the write side (folding the log) instead of its read
 * model: a context declares each as a bean, and its queries ask {@link QueryFlags#writeSide}.
 *
 * @param name        as the flag's routes and events name it ({@code product-detail})
 * @param description what it covers, for the console and the CLI
 */
public record QueryFamily(String name, String description) {}
