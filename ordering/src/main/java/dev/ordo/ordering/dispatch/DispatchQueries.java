package dev.ordo.ordering.dispatch;

import dev.ordo.command.Aggregates;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
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

  private static final Logger log = LoggerFactory.getLogger(DispatchQueries.class);

  private static final String DETAIL = "SELECT " + DispatchView.COLUMNS + " FROM dispatch_read d WHERE d.dispatch_id = ?";

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches;

  public DispatchQueries(DataSource readDatabase, ReadModels readModels,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.dispatches = dispatches;
  }

  @GetMapping("/api/v1/dispatches/{id}")
  public ResponseEntity<Map<String, Object>> detail(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    String dispatchId = QueryInput.aggregateId("dispatch", id);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Map<String, Object> dispatch;
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(DETAIL)) {
      select.setString(1, dispatchId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no dispatch " + dispatchId);
        }
        dispatch = DispatchView.of(rs);
      }
    } catch (SQLException e) {
      RuntimeException failure = ReadModels.failure(e);
      if (!(failure instanceof DataAccessResourceFailureException)) {
        throw failure;
      }
      log.warn("read database unreachable, answering dispatch {} from the write model: {}", dispatchId,
          e.getMessage());
      Aggregates.Loaded<Dispatch> loaded = dispatches.load(dispatchId);
      if (!loaded.exists()) {
        throw new NotFoundException("no dispatch " + dispatchId);
      }
      return ResponseEntity.ok().eTag("\"" + loaded.version() + "\"").header("Ordo-Source", "write-model")
          .header("Ordo-Consistent", "true").body(DispatchView.of(loaded));
    }
    return ResponseEntity.ok().eTag("\"" + dispatch.get("version") + "\"")
        .header("Ordo-Consistent", Boolean.toString(consistent)).body(dispatch);
  }
}
