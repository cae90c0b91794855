package dev.ordo.ordering.delivery;

import dev.ordo.ordering.delivery.DeliveryCommand.CompleteDelivery;
import dev.ordo.ordering.delivery.DeliveryCommand.StartDelivery;
import dev.ordo.ordering.delivery.DeliveryCommand.UpdateLocation;
import dev.ordo.ordering.delivery.DeliveryEvent.DeliveryCompleted;
import dev.ordo.ordering.delivery.DeliveryEvent.DeliveryStarted;
import dev.ordo.ordering.delivery.DeliveryEvent.LocationUpdated;
import dev.ordo.test.DeciderFixture;
import org.junit.jupiter.api.Test;

class DeliveryDeciderTests {

  private static final String ID = "v-1";
  private static final DeliveryStarted STARTED = new DeliveryStarted(ID, "o-1", "d-1", "r-1");

  private final DeciderFixture<DeliveryCommand, Delivery, DeliveryEvent> delivery =
      DeciderFixture.of(new DeliveryDecider());

  @Test
  void startsOnce() {
    delivery.given().when(new StartDelivery(ID, "o-1", "d-1", "r-1")).then(STARTED);
    delivery.given(STARTED).when(new StartDelivery(ID, "o-1", "d-1", "r-1")).thenNothing();
  }

  @Test
  void isLocatedWhileUnderWayWithinTheGlobe() {
    delivery.given(STARTED).when(new UpdateLocation(ID, 37.5665, 126.978)).then(new LocationUpdated(ID, 37.5665, 126.978));
    delivery.given(STARTED).when(new UpdateLocation(ID, 91.0, 0.0)).thenRuleBroken("location-out-of-range");
    delivery.given(STARTED).when(new UpdateLocation(ID, 0.0, -180.5)).thenRuleBroken("location-out-of-range");
  }

  @Test
  void completesOnceAndIsNotLocatedAfterwards() {
    delivery.given(STARTED).when(new CompleteDelivery(ID)).then(new DeliveryCompleted(ID, "o-1"));
    delivery.given(STARTED, new DeliveryCompleted(ID, "o-1")).when(new CompleteDelivery(ID))
        .thenRuleBroken("delivery-completed");
    delivery.given(STARTED, new DeliveryCompleted(ID, "o-1")).when(new UpdateLocation(ID, 1.0, 1.0))
        .thenRuleBroken("delivery-completed");
  }

  @Test
  void anUnknownDeliveryIsNotFound() {
    delivery.given().when(new UpdateLocation(ID, 1.0, 1.0)).thenNotFound();
  }
}
