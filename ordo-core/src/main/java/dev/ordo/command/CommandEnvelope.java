package dev.ordo.command;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.ExpectedVersion;
import java.util.Objects;

/**
 * A command with what travels with it.
 *
 * @param aggregateId the aggregate it is for
 * @param expected    the version the client expects (If-Match), no stream for a command creating
 *                    the aggregate under a new id, or any
 * @param completion  the command log record to commit with its events, or null
 */
public record CommandEnvelope<C>(C command, String aggregateId, ExpectedVersion expected, CommandMetadata metadata,
    AppendRequest.CommandCompletion completion) {

  public CommandEnvelope {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(aggregateId, "aggregateId");
    expected = expected == null ? ExpectedVersion.any() : expected;
    Objects.requireNonNull(metadata, "metadata");
  }

  public static <C> CommandEnvelope<C> of(C command, String aggregateId, CommandMetadata metadata) {
    return new CommandEnvelope<>(command, aggregateId, ExpectedVersion.any(), metadata, null);
  }
}
