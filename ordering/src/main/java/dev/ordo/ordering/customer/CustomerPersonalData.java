package dev.ordo.ordering.customer;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandResult;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.personaldata.PersonalData;
import dev.ordo.spring.problem.ForbiddenException;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /api/v1/customers/{id}/personal-data}: forgets a customer's personal data (issue
 * 14). {@link CustomerEvent.PersonalDataForgotten} is appended first, through the bus, and the
 * customer's key destroyed second: the read models take the plaintext they hold out when the event
 * reaches them, and every sealed copy (the log, Kafka, replicas) stops opening once the key is gone.
 *
 * <p>A crash between the two leaves the key in place, and the client, never having had an answer,
 * asks again: the request is idempotent in effect (one more event, then the key destroyed). The
 * answer is {@code 200 {"id", "position"}} with {@code Ordo-Position}, so a query with
 * {@code Ordo-Min-Position} reads the read models with the data taken out.
 */
@RestController
public final class CustomerPersonalData {

  private final CommandBus bus;
  private final PersonalData personalData;

  public CustomerPersonalData(CommandBus bus, PersonalData personalData) {
    this.bus = bus;
    this.personalData = personalData;
  }

  @DeleteMapping("/api/v1/customers/{id}/personal-data")
  public ResponseEntity<Map<String, Object>> forget(@PathVariable String id, HttpServletRequest request) {
    if (id.isBlank() || id.length() > 100) { // an order's userId, as PlaceOrder takes it
      throw new InvalidInputException("id", id.isBlank() ? "must not be blank" : "size must be between 0 and 100");
    }
    String customerId = id.strip();
    if (!bus.handles(CustomerCommand.ForgetPersonalData.class)) {
      throw new NotFoundException("customers are the order service's: ask it (or the gateway)");
    }
    UUID commandId = TimeOrderedUuid.next();
    String correlation = request.getHeader("X-Request-Id");
    var metadata = new CommandMetadata(commandId, correlation == null ? commandId.toString() : correlation, null,
        Callers.current());
    CommandResult result;
    try {
      result = bus.dispatch(CommandEnvelope.of(new CustomerCommand.ForgetPersonalData(customerId),
          Customer.streamId(customerId), metadata));
    } catch (CommandException.Forbidden refused) { // CustomerAccess: the customer themself or an admin
      throw new ForbiddenException("only the customer themself or an admin forgets their personal data");
    }
    personalData.forget(customerId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", customerId);
    body.put("position", result.position());
    return ResponseEntity.ok()
        .header("Ordo-Position", Long.toString(result.position()))
        .header("Ordo-Token", result.aggregateId() + "@" + result.version())
        .body(body);
  }
}
