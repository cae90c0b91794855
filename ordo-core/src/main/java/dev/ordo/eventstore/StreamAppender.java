package dev.ordo.eventstore;

import java.util.List;

public interface StreamAppender {

  /**
   * Appends events to one stream, all or nothing.
   *
   * <p>If every event id is already stored in this stream, nothing is written and the result of
   * the original append is returned, whatever the expected version says: a retried request is
   * answered, not refused.
   *
   * @param streamType names the aggregate the stream belongs to ({@code product}, {@code order})
   * @throws EventStoreException.WrongExpectedVersion when the stream is not at the expected version
   * @throws IllegalArgumentException when the events are empty or some, not all, of their ids are
   *     already stored
   */
  default AppendResult append(String streamId, String streamType, ExpectedVersion expected, List<NewEvent> events) {
    return append(AppendRequest.of(streamId, streamType, expected, events));
  }

  /**
   * Appends with the request's unique keys and command record, all in one transaction.
   *
   * @throws EventStoreException.UniqueKeyTaken when another stream holds a key to claim
   */
  AppendResult append(AppendRequest request);
}
