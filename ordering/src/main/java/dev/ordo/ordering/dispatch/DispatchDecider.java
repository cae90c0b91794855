package dev.ordo.ordering.dispatch;

import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.dispatch.DispatchCommand.AcceptDispatch;
import dev.ordo.ordering.dispatch.DispatchCommand.AssignRider;
import dev.ordo.ordering.dispatch.DispatchCommand.CancelDispatch;
import dev.ordo.ordering.dispatch.DispatchCommand.DeclineDispatch;
import dev.ordo.ordering.dispatch.DispatchCommand.OpenDispatch;
import dev.ordo.ordering.dispatch.DispatchCommand.PickUp;
import dev.ordo.ordering.dispatch.DispatchEvent.DispatchAccepted;
import dev.ordo.ordering.dispatch.DispatchEvent.DispatchCancelled;
import dev.ordo.ordering.dispatch.DispatchEvent.DispatchDeclined;
import dev.ordo.ordering.dispatch.DispatchEvent.DispatchOpened;
import dev.ordo.ordering.dispatch.DispatchEvent.DispatchPickedUp;
import dev.ordo.ordering.dispatch.DispatchEvent.RiderAssigned;
import java.util.List;

/** The dispatch's rules: one rider at a time, who accepts or declines, then picks the parcel up. */
public final class DispatchDecider implements Decider<DispatchCommand, Dispatch, DispatchEvent> {

  @Override
  public Dispatch initialState() {
    return Dispatch.NONE;
  }

  @Override
  public List<DispatchEvent> decide(DispatchCommand command, Dispatch dispatch) {
    return switch (command) {
      case OpenDispatch c when dispatch.exists() -> List.of();
      case OpenDispatch c -> List.of(new DispatchOpened(c.dispatchId(), c.orderId()));
      case DispatchCommand c when !dispatch.exists() -> throw new CommandException.NotFound("dispatch", c.dispatchId());
      case CancelDispatch c when dispatch.status() == DispatchStatus.CANCELLED
          || dispatch.status() == DispatchStatus.PICKED_UP -> List.of();
      case CancelDispatch c -> List.of(new DispatchCancelled(c.dispatchId(), c.reason()));
      case DispatchCommand c when dispatch.status() == DispatchStatus.CANCELLED ->
          throw CommandException.rule("dispatch-cancelled", "the order was cancelled");
      case AssignRider c when dispatch.status() != DispatchStatus.WAITING ->
          throw notIn(dispatch, "dispatch-not-waiting", "a rider is assigned only to a waiting dispatch");
      case AssignRider c -> List.of(new RiderAssigned(c.dispatchId(), c.riderId().strip()));
      case AcceptDispatch c when dispatch.status() != DispatchStatus.ASSIGNED ->
          throw notIn(dispatch, "dispatch-not-assigned", "only an assigned dispatch can be accepted");
      case AcceptDispatch c -> List.of(new DispatchAccepted(c.dispatchId(), dispatch.riderId()));
      case DeclineDispatch c when dispatch.status() != DispatchStatus.ASSIGNED ->
          throw notIn(dispatch, "dispatch-not-assigned", "only an assigned dispatch can be declined");
      case DeclineDispatch c -> List.of(new DispatchDeclined(c.dispatchId(), dispatch.riderId(), c.reason()));
      case PickUp c when dispatch.status() != DispatchStatus.ACCEPTED ->
          throw notIn(dispatch, "dispatch-not-accepted", "the parcel is picked up after the rider accepted");
      case PickUp c -> List.of(new DispatchPickedUp(c.dispatchId(), dispatch.orderId(), dispatch.riderId(),
          Ids.delivery(dispatch.orderId())));
    };
  }

  private static CommandException notIn(Dispatch dispatch, String rule, String why) {
    return CommandException.rule(rule, why + "; the dispatch is " + dispatch.status());
  }

  @Override
  public Dispatch evolve(Dispatch dispatch, DispatchEvent event) {
    return switch (event) {
      case DispatchOpened e -> new Dispatch(e.dispatchId(), e.orderId(), DispatchStatus.WAITING, null);
      case RiderAssigned e -> new Dispatch(dispatch.id(), dispatch.orderId(), DispatchStatus.ASSIGNED, e.riderId());
      case DispatchAccepted e -> new Dispatch(dispatch.id(), dispatch.orderId(), DispatchStatus.ACCEPTED, e.riderId());
      case DispatchDeclined e -> new Dispatch(dispatch.id(), dispatch.orderId(), DispatchStatus.WAITING, null);
      case DispatchPickedUp e -> new Dispatch(dispatch.id(), dispatch.orderId(), DispatchStatus.PICKED_UP,
          dispatch.riderId());
      case DispatchCancelled e -> new Dispatch(dispatch.id(), dispatch.orderId(), DispatchStatus.CANCELLED,
          dispatch.riderId());
    };
  }
}
