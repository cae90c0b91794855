package dev.ordo.gateway;

import dev.ordo.gateway.fallback.FallbackFor;
import dev.ordo.gateway.fallback.InternalForward;
import dev.ordo.gateway.fallback.ServiceUnavailable;
import dev.ordo.gateway.retry.SafeRetry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.filter.FilterSupplier;
import org.springframework.cloud.gateway.server.mvc.filter.SimpleFilterSupplier;
import org.springframework.cloud.gateway.server.mvc.predicate.PredicateSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The words {@code application.yml} can use beyond Spring Cloud Gateway's own: the
 * {@code SafeRetry} and {@code FallbackFor} filters (with the latter's counters) and the
 * {@code InternalForward} predicate; and the one handler that is not a route to a service, the 503 a
 * circuit breaker falls back to.
 */
@Configuration(proxyBeanMethods = false)
class GatewayVocabulary {

  @Bean
  FilterSupplier safeRetryFilter() {
    return new SimpleFilterSupplier(SafeRetry.class);
  }

  @Bean
  FilterSupplier fallbackForFilter() {
    return new SimpleFilterSupplier(FallbackFor.class);
  }

  /** {@code ordo.gateway.fallback} at 0 for every route a {@code FallbackFor} filter names. */
  @Bean
  MeterBinder fallbackMeters(GatewayMvcProperties gateway) {
    return registry -> Stream.concat(gateway.getRoutes().stream(), gateway.getRoutesMap().values().stream())
        .flatMap(route -> route.getFilters().stream())
        .filter(filter -> "FallbackFor".equals(filter.getName()))
        .flatMap(filter -> filter.getArgs().values().stream())
        .forEach(route -> registry.counter(FallbackFor.METER, "route", route));
  }

  @Bean
  PredicateSupplier internalForwardPredicate() {
    return () -> List.of(InternalForward.class.getMethods());
  }

  @Bean
  RouterFunction<ServerResponse> serviceUnavailableRoute(ServiceUnavailable serviceUnavailable) {
    return serviceUnavailable.route();
  }
}
