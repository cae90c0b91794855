/**
 * Who may call what (API.md "Who may call what"): an OAuth2 resource server on JWTs, a local
 * signing key for the embedded default, the caller of a request, and the routes' rules.
 */
package dev.ordo.spring.security;
