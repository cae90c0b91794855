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
import java.util.function.BooleanSupplier;
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

  /**
   * Waits (up to {@code timeout}, while {@code stopped} says no) for product_read to apply {@code last};
   * why it will not be asked, or null once it has.
   */
  String await(Optional<LogPosition> last, Duration timeout, BooleanSupplier stopped) throws InterruptedException {
    if (readModels == null || readModels.host(PROJECTION).isEmpty()) {
      return PROJECTION + " is not kept by this service";
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (last.isPresent() && !stopped.getAsBoolean() && System.nanoTime() < deadline) {
      if (readModels.awaitApplied(PROJECTION, last.get(), Duration.ofSeconds(1))) {
        return null;
      }
    }
    return PROJECTION + " had not applied the import's events after " + timeout.toSeconds()
        + " s; run the import again (it appends nothing new) to reconcile anew";
  }

  /** The figures of these ids in the read model, once {@link #await} said it has applied them. */
  Outcome figures(String notAsked, List<String> stores, List<String> categories, List<String> products)
      throws SQLException {
    if (notAsked != null) {
      return new Outcome(null, notAsked);
    }
    long[] p = new long[6];
    long storeCount;
    long categoryCount;
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
