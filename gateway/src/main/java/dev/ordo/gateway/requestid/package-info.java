/** One request id per request, from the client to the backend and back, in every log line between. */
package dev.ordo.gateway.requestid;
