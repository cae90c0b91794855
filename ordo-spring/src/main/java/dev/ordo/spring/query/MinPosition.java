package dev.ordo.spring.query;

import dev.ordo.spring.problem.InvalidInputException;

/**
 * What a query waits for before it answers (API.md "Consistency and operations"), from {@code
 * Ordo-Min-Position} or {@code ?minPosition=}: a position of this service's log ({@code 1234}, the
 * {@code Ordo-Position} of a command answered by the same app), or a stream at a version ({@code
 * <streamId>@<version>}, the {@code Ordo-Token} every command answer carries). The token holds
 * across services: a read-model service that follows the writing service's log through Kafka
 * waits until that event has arrived in its own log and its read models have applied it, where no
 * global position exists.
 *
 * @param position 0 for none, or with a stream
 */
public record MinPosition(long position, String streamId, long version) {

  public static final MinPosition NONE = new MinPosition(0, null, 0);

  static MinPosition parse(String field, String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    int at = value.lastIndexOf('@');
    if (at < 0) {
      Long position = QueryInput.optionalLong(field, value, 0);
      return new MinPosition(position, null, 0);
    }
    String streamId = value.substring(0, at).strip();
    if (streamId.isEmpty() || streamId.length() > 200) {
      throw new InvalidInputException(field, "must be a position or <streamId>@<version>");
    }
    return new MinPosition(0, streamId, QueryInput.optionalLong(field, value.substring(at + 1), 1));
  }

  public boolean none() {
    return streamId == null && position <= 0;
  }
}
