package dev.ordo.catalog.legacy;

import dev.ordo.catalog.legacy.Reconciliation.Figures;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The imported records' figures in {@code product_read} (and its store and category rows), read
 * once the projection has applied the import's last event.
 */
final class ReadModelFigures {

  /** A figure, or why there is none. */
  record Outcome(Figures figures, String note) {}

  private static final String PRODUCTS = """
      SELECT count(*), coalesce(sum(jsonb_array_length(images)), 0), coalesce(sum(review_count), 0),
             coalesce(sum(price), 0), coalesce(sum(stock), 0), coalesce(sum(rating_sum), 0)
        FROM product_read WHERE product_id = ANY (?)
      """;

  private static final String STORES = "SELECT count(*) FROM store_read WHERE store_id = ANY (?)";

  private static final String CATEGORIES = "SELECT count(*) FROM category_read WHERE category_id = ANY (?)";

  /** Ids per query: a bounded array, whatever the size of the catalog. */
  private static final int CHUNK = 10_000;

  private static final String PROJECTION = "product_read";

  private final DataSource readDatabase;
  private final ReadModels readModels;

  /** {@code readModels} null where no read model is kept. */
  ReadModelFigures(DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  /** Waits (up to {@code timeout}) for product_read to apply {@code last}, then sums the records of these ids. */
  Outcome after(Optional<LogPosition> last, Duration timeout, List<String> stores, List<String> categories,
      List<String> products) throws InterruptedException, SQLException {
    if (readModels == null || readModels.host(PROJECTION).isEmpty()) {
      return new Outcome(null, PROJECTION + " is not kept by this service");
    }
    if (last.isEmpty() || !readModels.awaitApplied(PROJECTION, last.get(), timeout)) {
      return new Outcome(null, PROJECTION + " had not applied the import's events after " + timeout.toSeconds()
          + " s; run the import again (it appends nothing new) to reconcile anew");
    }
    long[] p = new long[6];
    long storeCount = 0;
    long categoryCount = 0;
    try (Connection connection = readDatabase.getConnection()) {
      for (int from = 0; from < products.size(); from += CHUNK) {
        try (PreparedStatement select = connection.prepareStatement(PRODUCTS)) {
          select.setArray(1, connection.createArrayOf("text",
              products.subList(from, Math.min(products.size(), from + CHUNK)).toArray()));
          try (ResultSet rs = select.executeQuery()) {
            rs.next();
            for (int i = 0; i < p.length; i++) {
              p[i] += rs.getLong(i + 1);
            }
          }
        }
      }
      storeCount = count(connection, STORES, stores);
      categoryCount = count(connection, CATEGORIES, categories);
    }
    return new Outcome(new Figures(storeCount, categoryCount, p[0], p[1], p[2], p[3], p[4], p[5]), null);
  }

  private static long count(Connection connection, String sql, List<String> ids) throws SQLException {
    long count = 0;
    for (int from = 0; from < ids.size(); from += CHUNK) {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setArray(1, connection.createArrayOf("text", ids.subList(from, Math.min(ids.size(), from + CHUNK))
            .toArray()));
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          count += rs.getLong(1);
        }
      }
    }
    return count;
  }
}
