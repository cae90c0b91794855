package dev.ordo.ordering.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ordering.order.OrderCommand.ApproveOrder;
import dev.ordo.ordering.order.OrderCommand.CancelOrder;
import dev.ordo.ordering.order.OrderCommand.ConfirmReservation;
import dev.ordo.ordering.order.OrderCommand.DeliverOrder;
import dev.ordo.ordering.order.OrderCommand.ExpireOrder;
import dev.ordo.ordering.order.OrderCommand.PayOrder;
import dev.ordo.ordering.order.OrderCommand.Place;
import dev.ordo.ordering.order.OrderCommand.RejectOrder;
import dev.ordo.ordering.order.OrderCommand.ShipOrder;
import dev.ordo.ordering.order.OrderEvent.ItemReserved;
import dev.ordo.ordering.order.OrderEvent.Line;
import dev.ordo.ordering.order.OrderEvent.OrderApproved;
import dev.ordo.ordering.order.OrderEvent.OrderCancelled;
import dev.ordo.ordering.order.OrderEvent.OrderDelivered;
import dev.ordo.ordering.order.OrderEvent.OrderExpired;
import dev.ordo.ordering.order.OrderEvent.OrderPaid;
import dev.ordo.ordering.order.OrderEvent.OrderPlaced;
import dev.ordo.ordering.order.OrderEvent.OrderRefunded;
import dev.ordo.ordering.order.OrderEvent.OrderRejected;
import dev.ordo.ordering.order.OrderEvent.OrderReserved;
import dev.ordo.ordering.order.OrderEvent.OrderShipped;
import dev.ordo.test.DeciderFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderDeciderTests {

  private static final String ID = "o-1";
  private static final Instant DUE = Instant.parse("2026-12-01T10:30:00Z");
  private static final ShippingAddress ADDRESS = new ShippingAddress("김철수", "010-1234-5678", "서울시 강남구 테헤란로 1",
      "06236", true);
  private static final List<OrderItem> ITEMS = List.of(new OrderItem("p-1", "갤럭시", "s-1", 1_000, 2),
      new OrderItem("p-2", "케이스", "s-1", 300, 1));
  private static final List<Line> LINES = List.of(new Line("p-1", 2), new Line("p-2", 1));
  private static final OrderPlaced PLACED = new OrderPlaced(ID, "u-1", ITEMS, 2_300, ADDRESS, DUE);
  private static final OrderEvent[] RESERVED = {PLACED, new ItemReserved(ID, "p-1"), new ItemReserved(ID, "p-2"),
      new OrderReserved(ID)};
  private static final OrderPaid PAID = new OrderPaid(ID, PaymentMethod.CARD, 2_300, DUE.minusSeconds(60));

  private final DeciderFixture<OrderCommand, Order, OrderEvent> order = DeciderFixture.of(new OrderDecider());

  private static OrderEvent[] with(OrderEvent[] events, OrderEvent... more) {
    OrderEvent[] all = java.util.Arrays.copyOf(events, events.length + more.length);
    System.arraycopy(more, 0, all, events.length, more.length);
    return all;
  }

  @Test
  void placesAnOrderWithAnExactTotal() {
    order.given().when(new Place(ID, " u-1 ", ITEMS, ADDRESS, DUE)).then(PLACED);
  }

  @Test
  void anOrderIsPlacedOnceAndEachProductOnce() {
    order.given(PLACED).when(new Place(ID, "u-1", ITEMS, ADDRESS, DUE)).thenRuleBroken("order-exists");
    order.given().when(new Place(ID, "u-1", List.of(ITEMS.get(0), ITEMS.get(0)), ADDRESS, DUE))
        .thenRuleBroken("duplicate-product");
  }

  @Test
  void aTotalThatDoesNotFitIsABrokenRuleNotAWrappedNumber() {
    var huge = List.of(new OrderItem("p-1", "a", "s", Long.MAX_VALUE / 2, 3));
    order.given().when(new Place(ID, "u-1", huge, ADDRESS, DUE)).thenRuleBroken("order-total-too-large");
  }

  @Test
  void theOrderStandsReservedWhenTheLastItemIs() {
    order.given(PLACED).when(new ConfirmReservation(ID, "p-1")).then(new ItemReserved(ID, "p-1"));
    order.given(PLACED, new ItemReserved(ID, "p-1")).when(new ConfirmReservation(ID, "p-2"))
        .then(new ItemReserved(ID, "p-2"), new OrderReserved(ID));
  }

  @Test
  void aReservationHeardTwiceOrForAnotherProductOrTooLateChangesNothing() {
    order.given(PLACED, new ItemReserved(ID, "p-1")).when(new ConfirmReservation(ID, "p-1")).thenNothing();
    order.given(PLACED).when(new ConfirmReservation(ID, "p-9")).thenNothing();
    order.given(PLACED, new OrderCancelled(ID, "changed my mind", LINES, false))
        .when(new ConfirmReservation(ID, "p-1")).thenNothing();
  }

  @Test
  void aRefusedItemRejectsTheWholeOrderWithTheReasonAndEveryItemToGiveBack() {
    order.given(PLACED, new ItemReserved(ID, "p-1")).when(new RejectOrder(ID, "p-2", "insufficient-stock"))
        .then(new OrderRejected(ID, "insufficient-stock", "p-2", LINES));
    order.given(with(RESERVED)).when(new RejectOrder(ID, "p-2", "insufficient-stock")).thenNothing();
  }

  @Test
  void approvalNeedsTheStockReserved() {
    order.given(PLACED).when(new ApproveOrder(ID)).thenRuleBroken("order-not-approvable");
    order.given(RESERVED).when(new ApproveOrder(ID)).then(new OrderApproved(ID));
  }

  @Test
  void paymentNeedsAnApprovedOrderBeforeItsDeadlineAndChargesTheTotal() {
    order.given(RESERVED).when(new PayOrder(ID, PaymentMethod.CARD, DUE.minusSeconds(60)))
        .thenRuleBroken("order-not-payable");
    var approved = with(RESERVED, new OrderApproved(ID));
    order.given(approved).when(new PayOrder(ID, PaymentMethod.CARD, DUE.minusSeconds(60))).then(PAID);
    order.given(approved).when(new PayOrder(ID, PaymentMethod.CARD, DUE)).thenRuleBroken("payment-deadline-passed");
  }

  @Test
  void aPaidOrderShipsAndIsDelivered() {
    var paid = with(RESERVED, new OrderApproved(ID), PAID);
    order.given(paid).when(new ShipOrder(ID, " T-1 ")).then(new OrderShipped(ID, "T-1", LINES));
    order.given(with(paid, new OrderShipped(ID, "T-1", LINES))).when(new DeliverOrder(ID))
        .then(new OrderDelivered(ID));
    order.given(with(RESERVED, new OrderApproved(ID))).when(new ShipOrder(ID, "T-1"))
        .thenRuleBroken("order-not-shippable");
    order.given(paid).when(new DeliverOrder(ID)).thenRuleBroken("order-not-shipped");
  }

  @Test
  void cancellingGivesEveryItemBackAndRefundsAPaidOrder() {
    order.given(PLACED).when(new CancelOrder(ID, "changed my mind"))
        .then(new OrderCancelled(ID, "changed my mind", LINES, false));
    order.given(with(RESERVED, new OrderApproved(ID), PAID)).when(new CancelOrder(ID, "too slow"))
        .then(new OrderCancelled(ID, "too slow", LINES, true), new OrderRefunded(ID, 2_300, PaymentMethod.CARD));
  }

  @Test
  void nothingIsCancelledAfterShippingOrOnceClosed() {
    order.given(with(RESERVED, new OrderApproved(ID), PAID, new OrderShipped(ID, "T", LINES)))
        .when(new CancelOrder(ID, null)).thenRuleBroken("order-already-shipped");
    order.given(PLACED, new OrderRejected(ID, "insufficient-stock", "p-1", LINES)).when(new CancelOrder(ID, null))
        .thenRuleBroken("order-closed");
    order.given(PLACED, new OrderExpired(ID, LINES)).when(new CancelOrder(ID, null)).thenRuleBroken("order-closed");
  }

  @Test
  void anUnpaidOrderExpiresAtItsDeadlineNotBefore() {
    order.given(PLACED).when(new ExpireOrder(ID, DUE.minusMillis(1))).thenRuleBroken("payment-deadline-not-reached");
    order.given(PLACED).when(new ExpireOrder(ID, DUE)).then(new OrderExpired(ID, LINES));
    order.given(with(RESERVED, new OrderApproved(ID))).when(new ExpireOrder(ID, DUE.plusSeconds(1)))
        .then(new OrderExpired(ID, LINES));
  }

  @Test
  void aPaidOrderNeverExpiresAndAnExpiredOneExpiresOnce() {
    order.given(with(RESERVED, new OrderApproved(ID), PAID)).when(new ExpireOrder(ID, DUE.plusSeconds(1)))
        .thenNothing();
    order.given(PLACED, new OrderExpired(ID, LINES)).when(new ExpireOrder(ID, DUE.plusSeconds(1))).thenNothing();
  }

  @Test
  void commandsOnAnUnknownOrderAreNotFound() {
    order.given().when(new ApproveOrder(ID)).thenNotFound();
    order.given().when(new CancelOrder(ID, null)).thenNotFound();
  }

  @Test
  void theStateKnowsWhatIsReservedUntilTheOrderCloses() {
    var partly = order.given(PLACED, new ItemReserved(ID, "p-1"));
    assertThat(partly.state().reserved()).containsExactly("p-1");
    assertThat(partly.state().status()).isEqualTo(OrderStatus.PLACED);
  }
}
