package dev.ordo.ordering.dispatch;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** What can be asked of a dispatch (seed 003 §2, the dispatch service). */
public sealed interface DispatchCommand {

  String dispatchId();

  /** From the fulfilment process, when the order is paid. */
  record OpenDispatch(String dispatchId, String orderId) implements DispatchCommand {}

  @HttpCommand(method = "POST", path = "/dispatches/{id}/assign", id = "dispatchId")
  record AssignRider(String dispatchId, @NotBlank @Size(max = 100) String riderId) implements DispatchCommand {}

  @HttpCommand(method = "POST", path = "/dispatches/{id}/accept", id = "dispatchId")
  record AcceptDispatch(String dispatchId) implements DispatchCommand {}

  /** The rider says no: the dispatch waits for another. */
  @HttpCommand(method = "POST", path = "/dispatches/{id}/decline", id = "dispatchId")
  record DeclineDispatch(String dispatchId, @Size(max = 500) String reason) implements DispatchCommand {}

  /** The rider has the parcel: the delivery starts and the order is shipped. */
  @HttpCommand(method = "POST", path = "/dispatches/{id}/pickup", id = "dispatchId")
  record PickUp(String dispatchId) implements DispatchCommand {}

  /** From the fulfilment process, when a paid order is cancelled. */
  record CancelDispatch(String dispatchId, String reason) implements DispatchCommand {}
}
