package dev.ordo.bench;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.codec.EventCodec;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The event codec on one product registration, each beside its baseline: encoding against Jackson
 * writing the record alone (the codec adds the type binding and the event id), decoding against
 * Jackson reading the same JSON, and decoding a v1 row (upcast to v2) against decoding a v2 row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

  private static final String V1 = """
      {"productId":"0195f3a4-9c1e-7b6a-8f00-000000000001","storeId":"0195f3a4-9c1e-7b6a-8f00-000000000002",\
      "categoryId":"0195f3a4-9c1e-7b6a-8f00-000000000003","name":"갤럭시 S25 울트라 256GB","price":1698400,\
      "stockQuantity":120,"thumbnailUrl":"https://cdn.example.com/p/s25.jpg","description":"티타늄 프레임"}""";

  private EventCodec<ProductEvent> codec;
  private ProductEvent.ProductRegistered event;
  private RecordedEvent current;
  private RecordedEvent v1;

  @Setup
  public void events() {
    codec = CatalogTypes.PRODUCT.codec();
    v1 = recorded(NewEvent.of("ProductRegistered", 1, V1));
    event = (ProductEvent.ProductRegistered) codec.decode(v1);
    current = recorded(codec.encode(event, EventMetadata.NONE));
  }

  private static RecordedEvent recorded(NewEvent event) {
    return new RecordedEvent(new LogPosition(1, 1), event.eventId(), "p", "product", 1, event.type(),
        event.schemaVersion(), event.data(), EventMetadata.NONE, Instant.now());
  }

  @Benchmark
  public NewEvent encode() {
    return codec.encode(event, EventMetadata.NONE);
  }

  @Benchmark
  public String encodeJacksonOnly() {
    return CatalogTypes.JSON.writeValueAsString(event);
  }

  @Benchmark
  public ProductEvent decode() {
    return codec.decode(current);
  }

  @Benchmark
  public ProductEvent decodeJacksonOnly() {
    return CatalogTypes.JSON.readValue(current.data(), ProductEvent.ProductRegistered.class);
  }

  @Benchmark
  public ProductEvent decodeUpcastingV1() {
    return codec.decode(v1);
  }
}
