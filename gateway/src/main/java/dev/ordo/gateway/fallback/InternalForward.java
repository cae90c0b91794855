package dev.ordo.gateway.fallback;

import jakarta.servlet.DispatcherType;
import org.springframework.web.servlet.function.RequestPredicate;

/**
 * The {@code InternalForward} route predicate: true only for a request a circuit breaker forwarded
 * inside the gateway. The fallback paths are no API of their own; a client calling one directly
 * gets a 404, so it cannot read the write model past the read model at will.
 */
public final class InternalForward {

  private InternalForward() {
  }

  public static RequestPredicate internalForward() {
    return request -> request.servletRequest().getDispatcherType() == DispatcherType.FORWARD;
  }
}
