package dev.ordo.ordering.order;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.spring.search.SearchIndexDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order search index ({@code order_search}): per order what an operator searches it by, the
 * product names (Korean, as the catalog's search takes them apart), the recipient and address, and
 * the ids (order, user, postal code, tracking number); the placing time sorts it, newest first.
 */
public final class OrderSearchIndex implements Projection<IndexBatch> {

  public static final String NAME = "order_search";
  static final String ORDER = "order";

  static final SearchSchema ORDERS = new SearchSchema(ORDER, "products", Field.text("products", 3),
      Field.text("recipient", 2), Field.text("address", 1), Field.identifier("ids", 2), Field.keyword("user_id"),
      Field.number("placed_at"));

  public static SearchIndexDefinition definition() {
    return new SearchIndexDefinition(NAME, List.of(ORDERS), new OrderSearchIndex());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Set<String> eventTypes() {
    return Set.of("OrderPlaced", "OrderShipped");
  }

  @Override
  public OnFailure onFailure() {
    return OnFailure.SKIP;
  }

  @Override
  public void apply(RecordedEvent event, IndexBatch index) {
    switch (OrderingTypes.ORDER.codec().decode(event)) {
      case OrderEvent.OrderPlaced e -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("products", e.items().stream().map(OrderItem::productName).distinct().toList());
        doc.put("recipient", e.shippingAddress().recipient());
        doc.put("address", e.shippingAddress().address());
        doc.put("ids", new ArrayList<>(List.of(e.orderId(), e.userId(), e.shippingAddress().zipCode())));
        doc.put("user_id", e.userId());
        doc.put("placed_at", event.occurredAt().toEpochMilli());
        index.put(ORDER, e.orderId(), doc);
      }
      case OrderEvent.OrderShipped e -> index.get(ORDER, e.orderId()).ifPresent(doc -> {
        List<Object> ids = new ArrayList<>((List<?>) doc.get("ids"));
        ids.add(e.trackingNumber());
        doc.put("ids", ids);
        index.put(ORDER, e.orderId(), doc);
      });
      default -> { }
    }
  }
}
