package dev.ordo.spring.command;

import dev.ordo.codec.JsonStrings;
import dev.ordo.command.CommandRecord;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command's HTTP answer as bytes (API.md "Commands — common rules"). Rendered from a command's
 * outcome the same way every time, so a replay for an Idempotency-Key is the first answer again.
 */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code {"id", "version", "position"}}: the body of every success. */
  static String result(String aggregateId, long version, long position) {
    var json = new StringBuilder(96).append("{\"id\":");
    JsonStrings.appendQuoted(json, aggregateId);
    return json.append(",\"version\":").append(version).append(",\"position\":").append(position).append('}')
        .toString();
  }

  static int status(CommandRecord.Succeeded succeeded) {
    return succeeded.created() ? 201 : 200;
  }

  /** A problem document holds its own status. */
  static int status(CommandRecord.Failed failed) {
    return JSON.readTree(failed.problem()).get("status").asInt();
  }

  /**
   * A success: 201 with Location for a command that created its aggregate, else 200; ETag,
   * Ordo-Position (this service's log) and Ordo-Token (the stream at its version: what a query of
   * any service following this one can wait for).
   */
  static Answer success(CommandRecord.Succeeded succeeded, CommandRoute route) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", "\"" + succeeded.version() + "\"");
    headers.put("Ordo-Position", Long.toString(succeeded.position()));
    headers.put("Ordo-Token", succeeded.aggregateId() + "@" + succeeded.version());
    String location = succeeded.created() ? route.locationOf(succeeded.aggregateId()) : null;
    if (location != null) {
      headers.put("Location", location);
    }
    String body = result(succeeded.aggregateId(), succeeded.version(), succeeded.position());
    return new Answer(status(succeeded), "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** 202 for a command accepted to run later, with where to follow it. */
  static Answer accepted(UUID commandId, String service) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/api/v1/commands/" + commandId + (service == null ? "" : "?service=" + service));
    String body = "{\"commandId\":\"" + commandId + "\",\"status\":\"PENDING\"}";
    return new Answer(202, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static Answer problem(CommandFailure failure) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (failure.retryAfter() != null) {
      headers.put("Retry-After", failure.retryAfter());
    }
    return new Answer(failure.status(), "application/problem+json", JSON.writeValueAsBytes(failure.problem()),
        headers);
  }

  /** A failure kept in the command log, answered again as it was first. */
  static Answer problem(CommandRecord.Failed failed) {
    return new Answer(status(failed), "application/problem+json", failed.problem().getBytes(StandardCharsets.UTF_8),
        new LinkedHashMap<>());
  }

  /** The same answer, marked as the replay of an earlier one. */
  Answer replayed() {
    headers.put("Idempotent-Replayed", "true");
    return this;
  }

  /** Whether another try may be answered otherwise (the database was down, a conflict). */
  boolean passing() {
    return status >= 500 || status == 409;
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  void write(HttpServletResponse response) throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    headers.forEach(response::setHeader);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
