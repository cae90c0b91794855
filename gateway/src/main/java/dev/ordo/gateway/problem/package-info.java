/** The gateway's own errors as RFC 9457 problem details; a backend's errors pass through untouched. */
package dev.ordo.gateway.problem;
