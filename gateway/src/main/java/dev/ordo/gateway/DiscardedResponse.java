package dev.ordo.gateway;

import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * A backend's answer the gateway will not pass on (a retry or a fallback takes its place). It is
 * closed, so its connection goes back to the HTTP client rather than waiting for the collector.
 */
public final class DiscardedResponse {

  private DiscardedResponse() {
  }

  public static void release(ServerRequest request) {
    ClientHttpResponse discarded = MvcUtils.getAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR);
    if (discarded != null) {
      discarded.close();
      MvcUtils.putAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR, null);
    }
  }
}
