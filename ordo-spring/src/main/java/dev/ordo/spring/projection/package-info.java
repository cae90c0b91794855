/** Operating read models: status, rebuilds and dead letters over HTTP, health and metrics. */
package dev.ordo.spring.projection;
