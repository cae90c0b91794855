package dev.ordo.ordering.order;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.customer.CustomerEvent;
import dev.ordo.personaldata.PersonalData;
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
 *
 * <p>The recipient, address and postal code arrive sealed ({@link PersonalData}) and are indexed
 * opened. When a customer's personal data is forgotten they are taken out of the customer's orders
 * and the batch purges, so the index files no longer hold them either; one already forgotten (a
 * rebuild) is not indexed at all.
 */
public final class OrderSearchIndex implements Projection<IndexBatch> {

  public static final String NAME = "order_search";
  static final String ORDER = "order";

  static final SearchSchema ORDERS = new SearchSchema(ORDER, "products", Field.text("products", 3),
      Field.text("recipient", 2), Field.text("address", 1), Field.identifier("ids", 2), Field.keyword("user_id"),
      Field.number("placed_at"));

  private final PersonalData personalData;

  private OrderSearchIndex(PersonalData personalData) {
    this.personalData = personalData;
  }

  public static SearchIndexDefinition definition(PersonalData personalData) {
    return new SearchIndexDefinition(NAME, List.of(ORDERS), new OrderSearchIndex(personalData));
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
    return Set.of("OrderPlaced", "OrderShipped", "PersonalDataForgotten");
  }

  @Override
  public OnFailure onFailure() {
    return OnFailure.SKIP;
  }

  @Override
  public void apply(RecordedEvent event, IndexBatch index) {
    if (event.streamType().equals("customer")) {
      switch (OrderingTypes.CUSTOMER.codec().decode(event)) {
        case CustomerEvent.PersonalDataForgotten e -> forget(e.customerId(), index);
      }
      return;
    }
    switch (OrderingTypes.ORDER.codec().decode(event)) {
      case OrderEvent.OrderPlaced e -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("products", e.items().stream().map(OrderItem::productName).distinct().toList());
        List<Object> ids = new ArrayList<>(List.of(e.orderId(), e.userId()));
        String recipient = personalData.open(e.shippingAddress().recipient());
        if (!recipient.equals(PersonalData.FORGOTTEN)) { // sealed with one key: all forgotten or none
          doc.put("recipient", recipient);
          doc.put("address", personalData.open(e.shippingAddress().address()));
          ids.add(personalData.open(e.shippingAddress().zipCode()));
        }
        doc.put("ids", ids);
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

  /**
   * The customer's orders without recipient, address and postal code. A document holds a
   * recipient exactly when its third id is the postal code (the tracking number comes after).
   */
  private static void forget(String customerId, IndexBatch index) {
    for (String id : index.ids(ORDER, "user_id", customerId)) {
      index.get(ORDER, id).filter(doc -> doc.containsKey("recipient")).ifPresent(doc -> {
        doc.remove("recipient");
        doc.remove("address");
        List<Object> ids = new ArrayList<>((List<?>) doc.get("ids"));
        ids.remove(2);
        doc.put("ids", ids);
        index.put(ORDER, id, doc);
      });
    }
    index.purge();
  }
}
