/** The log over HTTP: pages of events and single streams. */
package dev.ordo.spring.log;
