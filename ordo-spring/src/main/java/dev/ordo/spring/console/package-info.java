/** The admin console: consumers, dead letters, the log, time travel, commands and feature flags in a browser. */
package dev.ordo.spring.console;
