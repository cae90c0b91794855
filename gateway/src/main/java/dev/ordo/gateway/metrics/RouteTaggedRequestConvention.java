package dev.ordo.gateway.metrics;

import io.micrometer.common.KeyValues;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Spring's {@code http.server.requests} timer with a {@code route} tag: the id of the gateway route
 * that served the request ({@code none} for the gateway's own answers, a 404 or the actuator). The
 * {@code uri} tag alone cannot tell the routes apart: most share the pattern {@code /api/v1/**}.
 */
@Component
public class RouteTaggedRequestConvention extends DefaultServerRequestObservationConvention {

  @Override
  public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
    Object route = context.getCarrier().getAttribute(MvcUtils.GATEWAY_ROUTE_ID_ATTR);
    return super.getLowCardinalityKeyValues(context).and("route", route == null ? "none" : route.toString());
  }
}
