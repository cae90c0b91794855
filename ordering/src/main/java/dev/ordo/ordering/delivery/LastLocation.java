package dev.ordo.ordering.delivery;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import java.time.Instant;
import java.util.List;

/**
 * A delivery's last location from the tail of its stream, for the answer while the read database
 * is down (seed 003 §4: a delivery's location is a critical query). The aggregate's state leaves
 * locations out on purpose (it is loaded for every location update); the tail is short: only the
 * completion may follow the last location, so the last two events nearly always hold it.
 */
public final class LastLocation {

  /** Where the delivery was last reported, and when. */
  public record Located(double lat, double lon, Instant at) {}

  private final EventStore store;

  public LastLocation(EventStore store) {
    this.store = store;
  }

  /** The last location of the delivery at {@code version}; null when none was ever reported. */
  public Located of(String deliveryId, long version) {
    long window = 2;
    long from = Math.max(1, version - window + 1);
    while (true) {
      List<RecordedEvent> events = store.readStream(deliveryId, from).events();
      for (RecordedEvent event : events.reversed()) {
        if (event.version() <= version
            && OrderingTypes.DELIVERY.codec().decode(event) instanceof DeliveryEvent.LocationUpdated e) {
          return new Located(e.lat(), e.lon(), event.occurredAt());
        }
      }
      if (from == 1) {
        return null;
      }
      window *= 8;
      from = Math.max(1, version - window + 1);
    }
  }
}
