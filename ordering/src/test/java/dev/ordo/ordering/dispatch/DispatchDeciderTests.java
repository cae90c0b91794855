package dev.ordo.ordering.dispatch;

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
import dev.ordo.test.DeciderFixture;
import org.junit.jupiter.api.Test;

class DispatchDeciderTests {

  private static final String ID = "d-1";
  private static final DispatchOpened OPENED = new DispatchOpened(ID, "o-1");
  private static final RiderAssigned ASSIGNED = new RiderAssigned(ID, "r-1");
  private static final DispatchAccepted ACCEPTED = new DispatchAccepted(ID, "r-1");

  private final DeciderFixture<DispatchCommand, Dispatch, DispatchEvent> dispatch =
      DeciderFixture.of(new DispatchDecider());

  @Test
  void opensOnceForAnOrder() {
    dispatch.given().when(new OpenDispatch(ID, "o-1")).then(OPENED);
    dispatch.given(OPENED).when(new OpenDispatch(ID, "o-1")).thenNothing();
  }

  @Test
  void aRiderIsAssignedToAWaitingDispatchOnly() {
    dispatch.given(OPENED).when(new AssignRider(ID, " r-1 ")).then(ASSIGNED);
    dispatch.given(OPENED, ASSIGNED).when(new AssignRider(ID, "r-2")).thenRuleBroken("dispatch-not-waiting");
  }

  @Test
  void theAssignedRiderAcceptsOrDeclinesAndADeclinedDispatchWaitsAgain() {
    dispatch.given(OPENED, ASSIGNED).when(new AcceptDispatch(ID)).then(ACCEPTED);
    dispatch.given(OPENED, ASSIGNED).when(new DeclineDispatch(ID, "too far"))
        .then(new DispatchDeclined(ID, "r-1", "too far"));
    dispatch.given(OPENED, ASSIGNED, new DispatchDeclined(ID, "r-1", null)).when(new AssignRider(ID, "r-2"))
        .then(new RiderAssigned(ID, "r-2"));
    dispatch.given(OPENED).when(new AcceptDispatch(ID)).thenRuleBroken("dispatch-not-assigned");
    dispatch.given(OPENED).when(new DeclineDispatch(ID, null)).thenRuleBroken("dispatch-not-assigned");
  }

  @Test
  void pickUpFollowsAcceptanceAndNamesTheDelivery() {
    dispatch.given(OPENED, ASSIGNED, ACCEPTED).when(new PickUp(ID))
        .then(new DispatchPickedUp(ID, "o-1", "r-1", Ids.delivery("o-1")));
    dispatch.given(OPENED, ASSIGNED).when(new PickUp(ID)).thenRuleBroken("dispatch-not-accepted");
  }

  @Test
  void aCancelledDispatchTakesNoRiderAndIsCancelledOnce() {
    dispatch.given(OPENED, ASSIGNED).when(new CancelDispatch(ID, "order cancelled"))
        .then(new DispatchCancelled(ID, "order cancelled"));
    dispatch.given(OPENED, new DispatchCancelled(ID, null)).when(new CancelDispatch(ID, null)).thenNothing();
    dispatch.given(OPENED, new DispatchCancelled(ID, null)).when(new AssignRider(ID, "r-1"))
        .thenRuleBroken("dispatch-cancelled");
  }

  @Test
  void anUnknownDispatchIsNotFound() {
    dispatch.given().when(new AssignRider(ID, "r-1")).thenNotFound();
  }
}
