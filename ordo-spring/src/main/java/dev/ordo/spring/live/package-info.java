/** Live updates: one tail of the log per process, fanned out to every connected client as server-sent events. */
package dev.ordo.spring.live;
