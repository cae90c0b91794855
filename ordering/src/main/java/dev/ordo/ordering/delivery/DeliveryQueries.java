package dev.ordo.ordering.delivery;

import dev.ordo.command.Aggregates;
import dev.ordo.ordering.CriticalDetail;
import dev.ordo.ordering.order.OrderReaders;
import dev.ordo.spring.fallback.WriteServices;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /deliveries/{id}}: a delivery's status, rider and last location. A critical query
 * (seed 003 §4): with the read database unreachable it is answered from the aggregate and the tail
 * of its stream ({@code Ordo-Source: write-model}).
 */
@RestController
public class DeliveryQueries {

  private static final String DETAIL = "SELECT " + DeliveryView.COLUMNS + " FROM delivery_read v WHERE v.delivery_id = ?";

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final WriteServices.Fallback fallback;
  private final Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries;
  private final LastLocation lastLocation;

  /** Its feature flag: switched, the detail is folded from the log (or asked of the write service). */
  public static final String FAMILY = "delivery-detail";

  private final QueryFlags flags;

  public DeliveryQueries(DataSource readDatabase, ReadModels readModels,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries, LastLocation lastLocation,
      WriteServices writeServices, QueryFlags flags) {
    this.flags = flags;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.deliveries = deliveries;
    this.lastLocation = lastLocation;
    this.fallback = writeServices.fallback("delivery");
  }

  @GetMapping("/api/v1/deliveries/{id}")
  public ResponseEntity<?> detail(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    String deliveryId = QueryInput.aggregateId("delivery", id);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Optional<Map<String, Object>> read = flags.writeSide(FAMILY) ? Optional.empty()
        : CriticalDetail.read(readDatabase, DETAIL, "delivery", deliveryId, DeliveryView::of);
    if (read.isEmpty()) {
      return fallback.answer(request, () -> fromWriteModel(deliveryId));
    }
    Map<String, Object> delivery = read.get();
    OrderReaders.requireRider(delivery.get("riderId"));
    return ResponseEntity.ok().eTag("\"" + delivery.get("version") + "\"")
        .header("Ordo-Consistent", Boolean.toString(consistent)).body(delivery);
  }

  /** The read side is down: the delivery folded from its stream. */
  private ResponseEntity<Map<String, Object>> fromWriteModel(String deliveryId) {
    Aggregates.Loaded<Delivery> loaded = deliveries.load(deliveryId);
    if (!loaded.exists()) {
      throw new NotFoundException("no delivery " + deliveryId);
    }
    Map<String, Object> view = DeliveryView.of(loaded, lastLocation.of(deliveryId, loaded.version()));
    OrderReaders.requireRider(view.get("riderId"));
    return ResponseEntity.ok().eTag("\"" + loaded.version() + "\"").header("Ordo-Source", "write-model")
        .header("Ordo-Consistent", "true").body(view);
  }
}
