package dev.ordo.gateway.fallback;

import dev.ordo.gateway.DiscardedResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.common.Shortcut;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The {@code FallbackFor=<route>} filter, on the route a critical query falls back to. It counts the
 * use in {@code ordo.gateway.fallback}, tagged with the route that could not answer: every count is
 * a read the write database served (seed 003 §4 asks that its load be watched). It also closes the
 * read model's unread answer when a 5xx status, not an exception, opened the fallback. The counter
 * of every route a {@code FallbackFor} names exists from the start (GatewayVocabulary), so that
 * Prometheus sees the first fallback as an increase.
 */
public final class FallbackFor {

  public static final String METER = "ordo.gateway.fallback";

  private FallbackFor() {
  }

  @Shortcut
  public static HandlerFilterFunction<ServerResponse, ServerResponse> fallbackFor(String route) {
    return (request, next) -> {
      DiscardedResponse.release(request);
      MvcUtils.getApplicationContext(request).getBean(MeterRegistry.class).counter(METER, "route", route).increment();
      return next.handle(request);
    };
  }
}
