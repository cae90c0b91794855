/** The Spring Boot starter: auto-configuration of the event store, the command endpoint, the read models and health. */
package dev.ordo.spring;
