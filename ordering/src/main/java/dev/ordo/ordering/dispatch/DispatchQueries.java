package dev.ordo.ordering.dispatch;

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
 * {@code GET /dispatches/{id}}: a dispatch's status and rider. A critical query (seed 003 §4):
 * with the read database unreachable it is answered from the aggregate ({@code Ordo-Source:
 * write-model}).
 */
@RestController
public class DispatchQueries {

  private static final String DETAIL = "SELECT " + DispatchView.COLUMNS + " FROM dispatch_read d WHERE d.dispatch_id = ?";

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final WriteServices.Fallback fallback;
  private final Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches;

  /** Its feature flag: switched, the detail is folded from the log (or asked of the write service). */
  public static final String FAMILY = "dispatch-detail";

  private final QueryFlags flags;

  public DispatchQueries(DataSource readDatabase, ReadModels readModels,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches, WriteServices writeServices,
      QueryFlags flags) {
    this.flags = flags;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.dispatches = dispatches;
    this.fallback = writeServices.fallback("dispatch");
  }

  @GetMapping("/api/v1/dispatches/{id}")
  public ResponseEntity<?> detail(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    String dispatchId = QueryInput.aggregateId("dispatch", id);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Optional<Map<String, Object>> read = flags.writeSide(FAMILY) ? Optional.empty()
        : CriticalDetail.read(readDatabase, DETAIL, "dispatch", dispatchId, DispatchView::of);
    if (read.isEmpty()) {
      return fallback.answer(request, () -> fromWriteModel(dispatchId));
    }
    Map<String, Object> dispatch = read.get();
    OrderReaders.requireRider(dispatch.get("riderId"));
    return ResponseEntity.ok().eTag("\"" + dispatch.get("version") + "\"")
        .header("Ordo-Consistent", Boolean.toString(consistent)).body(dispatch);
  }

  /** The read side is down: the dispatch folded from its stream. */
  private ResponseEntity<Map<String, Object>> fromWriteModel(String dispatchId) {
    Aggregates.Loaded<Dispatch> loaded = dispatches.load(dispatchId);
    if (!loaded.exists()) {
      throw new NotFoundException("no dispatch " + dispatchId);
    }
    Map<String, Object> view = DispatchView.of(loaded);
    OrderReaders.requireRider(view.get("riderId"));
    return ResponseEntity.ok().eTag("\"" + loaded.version() + "\"").header("Ordo-Source", "write-model")
        .header("Ordo-Consistent", "true").body(view);
  }
}
