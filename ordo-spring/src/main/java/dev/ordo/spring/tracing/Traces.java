package dev.ordo.spring.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The trace an event carries ({@code traceparent}, W3C Trace Context): taken from the span a
 * command is sent in, and continued where the event is consumed, so one trace runs from the HTTP
 * edge through the log (and Kafka) to each read model.
 */
public final class Traces {

  private Traces() {}

  /**
   * The trace a command continues: the current span's when it is sampled (tracing enabled), else
   * the caller's own {@code traceparent} when it is well formed and sampled; null for neither.
   */
  public static String of(String incoming) {
    String current = current();
    if (current != null) {
      return current;
    }
    SpanContext caller = parse(incoming);
    return caller != null && caller.isSampled() ? incoming : null;
  }

  /** The current span as a {@code traceparent}, or null outside a span that is sampled. */
  public static String current() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid() || !span.isSampled()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /**
   * A span for consuming an event that carries {@code traceParent}, child of the span that wrote
   * it; null when the event carries no sampled trace (nothing is recorded for it then).
   */
  public static Span consuming(Tracer tracer, String traceParent, String name) {
    SpanContext parent = parse(traceParent);
    if (parent == null || !parent.isSampled()) {
      return null;
    }
    return tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
        .setParent(Context.root().with(Span.wrap(parent))).startSpan();
  }

  /** {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}, or null for anything else. */
  static SpanContext parse(String traceParent) {
    if (traceParent == null || traceParent.length() != 55 || !traceParent.startsWith("00-")
        || traceParent.charAt(35) != '-' || traceParent.charAt(52) != '-') {
      return null;
    }
    SpanContext context = SpanContext.createFromRemoteParent(traceParent.substring(3, 35),
        traceParent.substring(36, 52), TraceFlags.fromHex(traceParent, 53), TraceState.getDefault());
    return context.isValid() ? context : null;
  }
}
