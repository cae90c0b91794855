/** Tracing: the trace a command starts, carried by its events to where they are consumed. */
package dev.ordo.spring.tracing;
