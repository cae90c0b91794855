package dev.ordo.spring.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ordo.command.Caller;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.security.Callers;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/commands/{id}}: where a command is, for clients of asynchronous commands; the
 * caller's own commands only, an admin's any.
 */
@RestController
public class CommandStatusController {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CommandStatus(String commandId, String status, Integer statusCode, @JsonRawValue String result,
      @JsonRawValue String problem) {}

  private final CommandLog commandLog;

  public CommandStatusController(CommandLog commandLog) {
    this.commandLog = commandLog;
  }

  @GetMapping("/api/v1/commands/{commandId}")
  public CommandStatus status(@PathVariable String commandId) {
    UUID id;
    try {
      id = UUID.fromString(commandId);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("commandId", "must be a UUID");
    }
    CommandRecord record = commandLog.find(id).orElseThrow(() -> new NotFoundException("no command " + commandId));
    Caller caller = Callers.current();
    if (caller == null || !(caller.isAdmin() || commandLog.actor(id).filter(caller::is).isPresent())) {
      // another's command: as if there were none, so its id tells nothing
      throw new NotFoundException("no command " + commandId);
    }
    return switch (record) {
      case CommandRecord.Pending pending -> new CommandStatus(id.toString(), "PENDING", null, null, null);
      case CommandRecord.Succeeded succeeded -> new CommandStatus(id.toString(), "SUCCEEDED",
          Answer.status(succeeded),
          Answer.result(succeeded.aggregateId(), succeeded.version(), succeeded.position()), null);
      case CommandRecord.Failed failed ->
          new CommandStatus(id.toString(), "FAILED", Answer.status(failed), null, failed.problem());
    };
  }
}
