/** One line per request through the gateway, for the operator who reads logs rather than metrics. */
package dev.ordo.gateway.accesslog;
