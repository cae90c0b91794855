package dev.ordo.gateway.requestid;

import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter.ResponseHttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Drops the {@code X-Request-Id} a backend answers with: {@link RequestIdFilter} has already put the
 * gateway's on the response, and a client must see one id, not the service's echo beside it.
 */
@Component
public class GatewayRequestIdWins implements ResponseHttpHeadersFilter {

  @Override
  public HttpHeaders apply(HttpHeaders backendHeaders, ServerResponse response) {
    HttpHeaders kept = HttpHeaders.copyOf(backendHeaders);
    kept.remove(RequestIdFilter.HEADER);
    return kept;
  }
}
