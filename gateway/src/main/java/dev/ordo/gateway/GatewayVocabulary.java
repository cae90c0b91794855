package dev.ordo.gateway;

import dev.ordo.gateway.fallback.FallbackFor;
import dev.ordo.gateway.fallback.InternalForward;
import dev.ordo.gateway.fallback.ServiceUnavailable;
import dev.ordo.gateway.retry.SafeRetry;
import java.util.List;
import org.springframework.cloud.gateway.server.mvc.filter.FilterSupplier;
import org.springframework.cloud.gateway.server.mvc.filter.SimpleFilterSupplier;
import org.springframework.cloud.gateway.server.mvc.predicate.PredicateSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The words {@code application.yml} can use beyond Spring Cloud Gateway's own: the
 * {@code SafeRetry} and {@code FallbackFor} filters and the {@code InternalForward} predicate; and the
 * one handler that is not a route to a service, the 503 a circuit breaker falls back to.
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

  @Bean
  PredicateSupplier internalForwardPredicate() {
    return () -> List.of(InternalForward.class.getMethods());
  }

  @Bean
  RouterFunction<ServerResponse> serviceUnavailableRoute(ServiceUnavailable serviceUnavailable) {
    return serviceUnavailable.route();
  }
}
