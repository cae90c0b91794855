package dev.ordo.bench;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.StockReason;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loading a product from its stream once the rows are read: decode (upcasting the v1
 * registration) and fold 100 events. Seed 000 asks under 100 ms; the target is under 1 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FoldBenchmark {

  private List<RecordedEvent> stream;

  @Setup
  public void stream() {
    var codec = CatalogTypes.PRODUCT.codec();
    stream = new ArrayList<>();
    stream.add(recorded(1, NewEvent.of("ProductRegistered", 1, """
        {"productId":"p","storeId":"s","categoryId":"c","name":"Galaxy","price":1000,"stockQuantity":1000000,
         "thumbnailUrl":"t.jpg","description":"phone"}""")));
    for (int v = 2; v <= 100; v++) {
      ProductEvent event = v % 10 == 0
          ? new ProductEvent.PriceChanged("p", 1000, 1000 + v, "bench")
          : new ProductEvent.StockAdjusted("p", -1, StockReason.ORDER, null, 1_000_000 - v);
      stream.add(recorded(v, codec.encode(event, EventMetadata.NONE)));
    }
  }

  private static RecordedEvent recorded(long version, NewEvent event) {
    return new RecordedEvent(new LogPosition(version, version), event.eventId(), "p", "product", version, event.type(),
        event.schemaVersion(), event.data(), EventMetadata.NONE, Instant.now());
  }

  @Benchmark
  public Product decodeAndFold100Events() {
    var codec = CatalogTypes.PRODUCT.codec();
    var decider = CatalogTypes.PRODUCT.decider();
    Product product = decider.initialState();
    for (RecordedEvent event : stream) {
      product = decider.evolve(product, codec.decode(event));
    }
    return product;
  }
}
