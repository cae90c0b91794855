package dev.ordo.ordering.dispatch;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/** Admins assign riders; the rider assigned accepts, declines and picks up, nobody else. */
public final class DispatchAccess implements AggregateType.Access<DispatchCommand, Dispatch> {

  @Override
  public boolean allows(Caller caller, DispatchCommand command, Dispatch dispatch) {
    return switch (command) {
      case DispatchCommand.AcceptDispatch accept -> assigned(caller, dispatch);
      case DispatchCommand.DeclineDispatch decline -> assigned(caller, dispatch);
      case DispatchCommand.PickUp pickUp -> assigned(caller, dispatch);
      default -> false;
    };
  }

  private static boolean assigned(Caller caller, Dispatch dispatch) {
    return caller.has("rider") && caller.is(dispatch.riderId());
  }
}
