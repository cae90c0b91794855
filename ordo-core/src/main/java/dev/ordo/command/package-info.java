/**
 * Commands: deciders as pure functions, the command bus, and aggregates loaded from their stream
 * (and latest snapshot) to decide on.
 */
package dev.ordo.command;
