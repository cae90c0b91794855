/**
 * The API as OpenAPI 3 ({@code /v3/api-docs}, {@code /swagger-ui.html}): the queries as springdoc
 * reads their controllers, the commands from their routes, and who needs a token, from the
 * security rules themselves.
 */
package dev.ordo.spring.openapi;
