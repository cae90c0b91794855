package dev.ordo.spring.command;

import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.spring.problem.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The Idempotency-Key rules (README "Commands: what a client can rely on"). The first request
 * with a key claims it in the command log and its answer is kept; the same key with the same
 * method, path and body gets that answer again with {@code Idempotent-Replayed: true}; with another
 * request, 422 {@code idempotency-key-reused}; while the first still runs, 409 with Retry-After.
 */
final class Idempotency {

  private final CommandLog commandLog;
  private final String service;

  /** @param service names this service in the status links of accepted commands; null all-in-one */
  Idempotency(CommandLog commandLog, String service) {
    this.commandLog = commandLog;
    this.service = service;
  }

  /** The request's Idempotency-Key (quotes allowed), or null without one. */
  static String key(HttpServletRequest request) {
    String key = request.getHeader("Idempotency-Key");
    if (key == null) {
      return null;
    }
    key = key.strip();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    if (key.isEmpty() || key.length() > 255) {
      throw new InvalidInputException("Idempotency-Key", "must have 1 to 255 characters");
    }
    return key;
  }

  /** What makes two requests the same one: method, path and body. */
  static String fingerprint(HttpServletRequest request, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((request.getMethod() + " " + request.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer for a request whose key was used before, if it was. */
  Optional<Answer> earlier(String key, String fingerprint, CommandRoute route, String instance) {
    if (key == null) {
      return Optional.empty();
    }
    return commandLog.findByKey(key).map(earlier -> replay(earlier, fingerprint, route, instance));
  }

  /**
   * Records a command as accepted, claiming its key if it has one.
   *
   * @return empty once claimed; the answer for the request that holds the key otherwise
   */
  Optional<Answer> claim(CommandRecord.Pending command, CommandRoute route, String instance) {
    if (commandLog.accept(command)) {
      return Optional.empty();
    }
    return Optional.of(replay(commandLog.findByKey(command.idempotencyKey()).orElseThrow(), command.fingerprint(),
        route, instance));
  }

  /** Keeps a refusal made before the command could run (bad input) as the answer for its key. */
  Answer refuse(CommandRecord.Pending command, Answer refusal, CommandRoute route, String instance) {
    Optional<Answer> holder = claim(command, route, instance);
    if (holder.isPresent()) {
      return holder.get();
    }
    commandLog.fail(command.commandId(), refusal.bodyText());
    return refusal;
  }

  private Answer replay(CommandRecord earlier, String fingerprint, CommandRoute route, String instance) {
    if (!earlier.fingerprint().equals(fingerprint)) {
      return Answer.problem(CommandFailure.of(422, "rule-broken", "Idempotency-Key reused",
          "this Idempotency-Key was used with another request", instance).with("rule", "idempotency-key-reused"));
    }
    return switch (earlier) {
      case CommandRecord.Pending pending when pending.deferred() -> accepted(pending.commandId()).replayed();
      case CommandRecord.Pending running -> Answer.problem(CommandFailure.of(409, "in-progress",
          "Command in progress", "the first request with this Idempotency-Key is still running", instance)
          .retryAfter("1"));
      case CommandRecord.Succeeded succeeded -> Answer.success(succeeded, route).replayed();
      case CommandRecord.Failed failed -> Answer.problem(failed).replayed();
    };
  }

  /** 202 with where to follow the command: on this service, which a gateway finds by {@code ?service=}. */
  Answer accepted(java.util.UUID commandId) {
    return Answer.accepted(commandId, service);
  }
}
