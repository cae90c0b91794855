package dev.ordo.postgres.log;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An append waiting for a writer, and the future its caller waits on. */
record PendingAppend(AppendRequest request, CompletableFuture<AppendResult> result) {

  String streamId() {
    return request.streamId();
  }

  String streamType() {
    return request.streamType();
  }

  ExpectedVersion expected() {
    return request.expected();
  }

  List<NewEvent> events() {
    return request.events();
  }
}
