package dev.ordo.ordering;

import dev.ordo.command.Aggregates;
import dev.ordo.command.Caller;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandResult;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.ordering.customer.Customer;
import dev.ordo.ordering.customer.CustomerCommand;
import dev.ordo.ordering.customer.CustomerEvent;
import dev.ordo.ordering.customer.CustomerPersonalData;
import dev.ordo.ordering.delivery.Delivery;
import dev.ordo.ordering.delivery.DeliveryCommand;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.delivery.DeliveryQueries;
import dev.ordo.ordering.delivery.LastLocation;
import dev.ordo.ordering.dispatch.Dispatch;
import dev.ordo.ordering.dispatch.DispatchCommand;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.ordering.dispatch.DispatchQueries;
import dev.ordo.ordering.dispatch.DispatchStatus;
import dev.ordo.ordering.fulfilment.Fulfilment;
import dev.ordo.ordering.order.Order;
import dev.ordo.ordering.order.OrderCommand;
import dev.ordo.ordering.order.OrderDashboard;
import dev.ordo.ordering.order.OrderEvent;
import dev.ordo.ordering.order.OrderHistoryProjection;
import dev.ordo.ordering.order.OrderListing;
import dev.ordo.ordering.order.OrderPlacement;
import dev.ordo.ordering.order.OrderQueries;
import dev.ordo.ordering.order.OrderReadCheck;
import dev.ordo.ordering.order.OrderReadProjection;
import dev.ordo.ordering.order.OrderSearch;
import dev.ordo.ordering.order.OrderSearchIndex;
import dev.ordo.ordering.order.OrderStatus;
import dev.ordo.ordering.order.OrderStream;
import dev.ordo.ordering.order.PaymentDeadlines;
import dev.ordo.ordering.order.PlaceOrder;
import dev.ordo.ordering.product.ProductCatalog;
import dev.ordo.ordering.product.ProductCatalogProjection;
import dev.ordo.personaldata.PersonalData;
import dev.ordo.snapshot.SnapshotStore;
import dev.ordo.spring.fallback.WriteServices;
import dev.ordo.spring.flags.QueryFamily;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.search.SearchIndexDefinition;
import dev.ordo.spring.search.Searches;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import dev.ordo.spring.security.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.context.annotation.Configuration;

/**
 * Ordering in a Spring application: its event types, its aggregates, its commands on the bus, the
 * read models it needs to decide (the catalog as it knows it, payment deadlines), the fulfilment
 * process, and its read side: the order read model, the audit trail, their queries and stream.
 */
@Configuration(proxyBeanMethods = false)
public class OrderingConfiguration {

  /**
   * Orders, dispatches and deliveries need a caller: the aggregates' access rules judge commands,
   * the queries show an order to its customer, sellers, rider and admins ({@code OrderReaders});
   * only customers (for themselves) and admins place orders; the dashboard is for admins.
   */
  @Bean
  RouteAccess orderingRoutes() {
    return routes -> routes
        .requestMatchers("/api/v1/dashboard").hasRole("ADMIN")
        .requestMatchers(HttpMethod.POST, "/api/v1/orders").hasAnyRole("CUSTOMER", "ADMIN")
        .requestMatchers("/api/v1/orders", "/api/v1/orders/**", "/api/v1/dispatches/**", "/api/v1/deliveries/**",
            "/api/v1/customers/**").authenticated();
  }

  @Bean
  EventTypes orderingEventTypes() {
    return EventTypes.builder()
        .include(OrderingTypes.ORDER.codec().types())
        .include(OrderingTypes.DISPATCH.codec().types())
        .include(OrderingTypes.DELIVERY.codec().types())
        .include(OrderingTypes.CUSTOMER.codec().types())
        .build();
  }

  @Bean
  Aggregates<OrderCommand, Order, OrderEvent> orders(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(OrderingTypes.ORDER, store, snapshots, OrderingTypes.JSON, settings);
  }

  @Bean
  Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(OrderingTypes.DISPATCH, store, snapshots, OrderingTypes.JSON, settings);
  }

  @Bean
  Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(OrderingTypes.DELIVERY, store, snapshots, OrderingTypes.JSON, settings);
  }

  @Bean
  Aggregates<CustomerCommand, Customer, CustomerEvent> customers(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(OrderingTypes.CUSTOMER, store, snapshots, OrderingTypes.JSON, settings);
  }

  @Bean
  CustomerPersonalData customerPersonalData(CommandBus bus, PersonalData personalData) {
    return new CustomerPersonalData(bus, personalData);
  }

  @Bean
  ProductCatalogProjection orderingProductCatalogProjection() {
    return new ProductCatalogProjection();
  }

  @Bean
  ProductCatalog orderingProductCatalog(@Qualifier("readDataSource") DataSource readDataSource,
      ReadModels readModels, EventStore store) {
    return new ProductCatalog(readDataSource, readModels, store);
  }

  @Bean
  PaymentDeadlines paymentDeadlines(@Qualifier("readDataSource") DataSource readDataSource, CommandBus bus,
      @Value("${ordo.ordering.deadline-poll-interval:500ms}") Duration interval) {
    return new PaymentDeadlines(readDataSource, bus, Clock.systemUTC(), interval);
  }

  /** The order, dispatch and delivery read model, the dashboard's figures and the audit trail. */
  @Bean
  OrderReadProjection orderReadProjection(PersonalData personalData) {
    return new OrderReadProjection(personalData);
  }

  @Bean
  OrderHistoryProjection orderHistoryProjection() {
    return new OrderHistoryProjection();
  }

  @Bean
  LastLocation lastLocation(EventStore store) {
    return new LastLocation(store);
  }

  @Bean
  OrderQueries orderQueries(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels,
      Aggregates<OrderCommand, Order, OrderEvent> orders,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries, LastLocation lastLocation,
      WriteServices writeServices, QueryFlags flags) {
    return new OrderQueries(readDataSource, readModels, orders, dispatches, deliveries, lastLocation, writeServices,
        flags);
  }

  @Bean
  OrderReadCheck orderReadCheck(Aggregates<OrderCommand, Order, OrderEvent> orders,
      @Qualifier("readDataSource") DataSource readDataSource) {
    return new OrderReadCheck(orders, readDataSource);
  }

  @Bean
  QueryFamily orderDetailFamily() {
    return new QueryFamily(OrderQueries.FAMILY, "GET /api/v1/orders/{id}");
  }

  @Bean
  QueryFamily dispatchDetailFamily() {
    return new QueryFamily(DispatchQueries.FAMILY, "GET /api/v1/dispatches/{id}");
  }

  @Bean
  QueryFamily deliveryDetailFamily() {
    return new QueryFamily(DeliveryQueries.FAMILY, "GET /api/v1/deliveries/{id}");
  }

  @Bean
  OrderListing orderListing(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels) {
    return new OrderListing(readDataSource, readModels);
  }

  @Bean
  SearchIndexDefinition orderSearchIndex(PersonalData personalData) {
    return OrderSearchIndex.definition(personalData);
  }

  @Bean
  OrderSearch orderSearch(Searches searches, OrderListing listing,
      @Qualifier("readDataSource") DataSource readDataSource) {
    return new OrderSearch(searches, listing, readDataSource);
  }

  @Bean
  OrderDashboard orderDashboard(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels) {
    return new OrderDashboard(readDataSource, readModels, Clock.systemUTC());
  }

  @Bean
  OrderStream orderStream(EventStore store, @Qualifier("readDataSource") DataSource readDataSource,
      ReadModels readModels, @Value("${ordo.live.window:20000}") int window,
      @Value("${ordo.live.flush-interval:20ms}") Duration flushInterval) {
    return new OrderStream(store, readDataSource, readModels, window, flushInterval);
  }

  @Bean
  DispatchQueries dispatchQueries(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches, WriteServices writeServices,
      QueryFlags flags) {
    return new DispatchQueries(readDataSource, readModels, dispatches, writeServices, flags);
  }

  @Bean
  DeliveryQueries deliveryQueries(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries, LastLocation lastLocation,
      WriteServices writeServices, QueryFlags flags) {
    return new DeliveryQueries(readDataSource, readModels, deliveries, lastLocation, writeServices, flags);
  }

  @Bean
  Fulfilment fulfilment() {
    return new Fulfilment();
  }

  @Bean
  OrderPlacement orderPlacement(Aggregates<OrderCommand, Order, OrderEvent> orders, ProductCatalog catalog,
      @Value("${ordo.ordering.payment-timeout:30m}") Duration paymentTimeout, PersonalData personalData) {
    return new OrderPlacement(orders, catalog, Clock.systemUTC(), paymentTimeout, personalData);
  }

  @Bean
  OrderingCommands orderingCommands(CommandBus bus, OrderPlacement placement,
      Aggregates<OrderCommand, Order, OrderEvent> orders,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries,
      Aggregates<CustomerCommand, Customer, CustomerEvent> customers) {
    var commands = new OrderingCommands(placement, orders, dispatches, deliveries, customers, Clock.systemUTC());
    commands.register(bus);
    return commands;
  }

  /** Ordering's handlers: each command to its aggregate; times from the server's clock. */
  public record OrderingCommands(OrderPlacement placement, Aggregates<OrderCommand, Order, OrderEvent> orders,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries,
      Aggregates<CustomerCommand, Customer, CustomerEvent> customers, Clock clock) {

    void register(CommandBus bus) {
      bus.register(PlaceOrder.class, placement::place);
      bus.register(OrderCommand.ConfirmReservation.class, orders::handle);
      bus.register(OrderCommand.RejectOrder.class, orders::handle);
      bus.register(OrderCommand.ApproveOrder.class, orders::handle);
      bus.register(OrderCommand.PayOrder.class, this::pay);
      bus.register(OrderCommand.ShipOrder.class, orders::handle);
      bus.register(OrderCommand.DeliverOrder.class, orders::handle);
      bus.register(OrderCommand.CancelOrder.class, orders::handle);
      bus.register(OrderCommand.ExpireOrder.class, orders::handle);
      bus.register(DispatchCommand.OpenDispatch.class, dispatches::handle);
      bus.register(DispatchCommand.AssignRider.class, dispatches::handle);
      bus.register(DispatchCommand.AcceptDispatch.class, dispatches::handle);
      bus.register(DispatchCommand.DeclineDispatch.class, dispatches::handle);
      boolean shipsHere = bus.handles(OrderCommand.ShipOrder.class);
      bus.register(DispatchCommand.PickUp.class, envelope -> pickUp(envelope, shipsHere));
      bus.register(DispatchCommand.CancelDispatch.class, dispatches::handle);
      bus.register(DeliveryCommand.StartDelivery.class, deliveries::handle);
      bus.register(DeliveryCommand.UpdateLocation.class, deliveries::handle);
      bus.register(DeliveryCommand.CompleteDelivery.class, deliveries::handle);
      bus.register(CustomerCommand.ForgetPersonalData.class, customers::handle);
    }

    /**
     * A pick-up is the order's point of no return: the order is shipped first, on its own stream,
     * so a cancel that came first refuses the pick-up (422 {@code order-not-shippable}) and a
     * cancel that comes later is refused; the parcel never leaves for a refunded order.
     *
     * <p>Where orders are another service's (distributed mode), the pick-up reads the order as this
     * service's replica of the order events knows it and refuses one known to be closed; the
     * fulfilment process ships it in the order service. A cancel there that its events have not
     * brought here yet still races the pick-up: the order then refuses to be shipped, and the
     * refusal is the process's recorded failure for an operator to see.
     */
    private CommandResult pickUp(CommandEnvelope<DispatchCommand.PickUp> envelope, boolean shipsHere) {
      Dispatch dispatch = dispatches.load(envelope.aggregateId()).state();
      if (!OrderingTypes.DISPATCH.allows(envelope.metadata().caller(), envelope.command(), dispatch)) {
        // asked before the order is shipped on the rider's behalf; the dispatch asks again itself
        throw new CommandException.Forbidden(envelope.metadata().actor(), "pick up", "dispatch " + dispatch.id());
      }
      if (!shipsHere) {
        if (dispatch.exists() && orders.load(dispatch.orderId()).state().status() instanceof OrderStatus s
            && s.closed()) {
          throw CommandException.rule("order-not-shippable", "the order is " + s.name().toLowerCase());
        }
        return dispatches.handle(envelope);
      }
      if (dispatch.exists() && dispatch.status() == DispatchStatus.ACCEPTED
          && orders.load(dispatch.orderId()).state().status() != OrderStatus.SHIPPED) { // shipped: a retry
        var metadata = envelope.metadata();
        orders.handle(CommandEnvelope.of(new OrderCommand.ShipOrder(dispatch.orderId(), Ids.delivery(dispatch.orderId())),
            dispatch.orderId(), new CommandMetadata(TimeOrderedUuid.next(), metadata.correlationId(),
                metadata.commandId().toString(), Caller.system(metadata.actor()))));
      }
      return dispatches.handle(envelope);
    }

    private CommandResult pay(CommandEnvelope<OrderCommand.PayOrder> envelope) {
      var paid = new OrderCommand.PayOrder(envelope.command().orderId(), envelope.command().method(), clock.instant());
      return orders.handle(new CommandEnvelope<>(paid, envelope.aggregateId(), envelope.expected(),
          envelope.metadata(), envelope.completion()));
    }
  }
}
