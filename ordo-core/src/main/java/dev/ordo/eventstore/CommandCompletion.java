package dev.ordo.eventstore;

import dev.ordo.codec.JsonStrings;
import java.util.UUID;

/**
 * The command log's record of a command that succeeded, written in the transaction of its
 * append: a command whose events are stored is always recorded as done, and the other way round.
 * The version and position of the answer are the append's.
 *
 * @param idempotencyKey the client's key, or null
 * @param fingerprint    identifies the request the key was first used with, or null
 * @param statusCode     the HTTP status of the answer (200, 201)
 * @param location       the created resource, or null
 */
public record CommandCompletion(UUID commandId, String idempotencyKey, String fingerprint, String commandType,
    int statusCode, String location) {

  /**
   * The body of a successful command's answer, {@code {"id", "version", "position"}}, always
   * written the same way: the command log keeps these bytes and replays them.
   */
  public static String answer(String aggregateId, long version, long position) {
    var json = new StringBuilder(96).append("{\"id\":");
    JsonStrings.appendQuoted(json, aggregateId);
    return json.append(",\"version\":").append(version).append(",\"position\":").append(position).append('}')
        .toString();
  }

}
