package dev.ordo.spring.tracing;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.Set;

/**
 * A projection whose every event with a sampled trace is applied in a span of that trace
 * ({@code ordo.apply <projection>}, with the event's type, stream and position); events without
 * one cost a null check.
 */
public class TracedProjection<T> implements Projection<T> {

  private final Projection<T> projection;
  private final Tracer tracer;
  private final String spanName;

  public TracedProjection(Projection<T> projection, Tracer tracer) {
    this.projection = projection;
    this.tracer = tracer;
    this.spanName = "ordo.apply " + projection.name();
  }

  @Override
  public String name() {
    return projection.name();
  }

  @Override
  public int version() {
    return projection.version();
  }

  @Override
  public Set<String> eventTypes() {
    return projection.eventTypes();
  }

  @Override
  public boolean handles(String type) {
    return projection.handles(type);
  }

  @Override
  public void apply(RecordedEvent event, T target) throws Exception {
    Span span = Traces.consuming(tracer, event.metadata().traceParent(), spanName);
    if (span == null) {
      projection.apply(event, target);
      return;
    }
    span.setAttribute("ordo.event.type", event.type());
    span.setAttribute("ordo.event.stream", event.streamId());
    span.setAttribute("ordo.event.position", event.position());
    try {
      projection.apply(event, target);
    } catch (Exception | Error e) {
      span.recordException(e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public void flush(T target) throws Exception {
    projection.flush(target);
  }

  @Override
  public void committed() {
    projection.committed();
  }

  @Override
  public OnFailure onFailure() {
    return projection.onFailure();
  }
}
