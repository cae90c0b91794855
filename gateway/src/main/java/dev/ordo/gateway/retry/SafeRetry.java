package dev.ordo.gateway.retry;

import dev.ordo.gateway.DiscardedResponse;
import dev.ordo.gateway.requestid.RequestIdFilter;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.common.Shortcut;
import org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The {@code SafeRetry=<retries>, <first back-off>} route filter: sends a request again when the
 * backend could not be connected to or answered 502 or 503, waiting twice as long before each
 * retry, but only a request that may be repeated: a {@code GET}, or a command that
 * carries an {@code Idempotency-Key} (the write service answers a repeat with its first answer and
 * appends nothing). A command without a key goes once: a timeout or a 503 does not tell whether it
 * ran. Once the retries are spent, the last answer goes to the client as the backend gave it.
 *
 * <p>Spring Cloud Gateway's own {@code Retry} filter cannot be used here: it chooses by method only,
 * retries every 5xx, and answers with an error of its own, not the backend's, once it gives up.
 */
public final class SafeRetry {

  private static final Logger log = LoggerFactory.getLogger(SafeRetry.class);

  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Set<HttpStatusCode> RETRIED = Set.of(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE);

  // A command's body is held in memory to be sent again; a larger one is sent once.
  private static final long MAX_REPEATED_BODY = 1024 * 1024;

  private SafeRetry() {
  }

  @Shortcut
  public static HandlerFilterFunction<ServerResponse, ServerResponse> safeRetry(int retries, Duration backoff) {
    return (request, next) -> {
      if (!repeatable(request)) {
        return next.handle(request);
      }
      if (!HttpMethod.GET.equals(request.method())) {
        MvcUtils.getOrCacheBody(request);
      }
      Duration pause = backoff;
      for (int retry = 0; ; retry++) {
        boolean last = retry == retries;
        // each attempt reads the held body from its start again
        ServerRequest attempt = BeforeFilterFunctions.adaptCachedBody().apply(request);
        try {
          ServerResponse response = next.handle(attempt);
          if (last || !RETRIED.contains(response.statusCode())) {
            return response;
          }
          DiscardedResponse.release(request);
          log.info("{} {} answered {}: retry {} of {} in {} ms, requestId={}", request.method(), request.path(),
              response.statusCode().value(), retry + 1, retries, pause.toMillis(), requestId(request));
        } catch (Exception e) {
          if (last || !connectFailure(e)) {
            throw e;
          }
          log.info("{} {} could not connect: retry {} of {} in {} ms, requestId={}", request.method(), request.path(),
              retry + 1, retries, pause.toMillis(), requestId(request));
        }
        Thread.sleep(pause.toMillis());
        pause = pause.multipliedBy(2);
      }
    };
  }

  private static boolean repeatable(ServerRequest request) {
    if (HttpMethod.GET.equals(request.method())) {
      return true;
    }
    if (!StringUtils.hasText(request.headers().firstHeader(IDEMPOTENCY_KEY))) {
      return false;
    }
    long length = request.servletRequest().getContentLengthLong();
    boolean lengthUnknown = length < 0 && request.headers().firstHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    return !lengthUnknown && length <= MAX_REPEATED_BODY;
  }

  // named in the line: the retries run on the circuit breaker's thread, which has no MDC of the request
  private static String requestId(ServerRequest request) {
    return request.headers().firstHeader(RequestIdFilter.HEADER);
  }

  /** Only a failure to connect: a request that reached the backend may have done its work. */
  private static boolean connectFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
