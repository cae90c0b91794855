package dev.ordo.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.ProductCommand.AdjustStock;
import dev.ordo.catalog.product.ProductCommand.ReleaseStock;
import dev.ordo.catalog.product.ProductCommand.ReserveStock;
import dev.ordo.catalog.product.ProductCommand.SettleReservation;
import dev.ordo.catalog.product.ProductEvent.ProductRegistered;
import dev.ordo.command.CommandException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StockProperties {

  private final ProductDecider decider = new ProductDecider();

  @Property(tries = 500)
  void anySequenceOfAdjustmentsKeepsStockAtLeastZeroAndEndsAtTheAcceptedSum(
      @ForAll @IntRange(min = 0, max = 50) int initial,
      @ForAll @Size(max = 60) List<@IntRange(min = -20, max = 20) Integer> deltas) {
    Product product = decider.evolve(decider.initialState(),
        new ProductRegistered("p", "s", "c", "n", 100, initial, null, null, List.of(), List.of(), List.of()));
    long accepted = 0;
    for (int delta : deltas) {
      try {
        var events = decider.decide(new AdjustStock("p", (long) delta, StockReason.MANUAL_ADJUSTMENT, null), product);
        product = decider.fold(product, events);
        accepted += delta;
      } catch (CommandException.RuleBroken e) {
        assertThat(e.rule()).isEqualTo("insufficient-stock");
        assertThat(product.stock() + delta).isNegative();
      }
      assertThat(product.stock()).isNotNegative();
    }
    assertThat(product.stock()).isEqualTo(initial + accepted);
  }

  /** A command for order {@code order}: 0 reserve {@code quantity}, 1 release, 2 settle. */
  record OrderStep(int kind, int order, int quantity) {}

  @Provide
  Arbitrary<List<OrderStep>> orderSteps() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(1, 8)).as(OrderStep::new).list().ofMaxSize(80);
  }

  @Property(tries = 500)
  void reservationsInAnyOrderAndRepetitionNeverLoseOrMakeStock(
      @ForAll @IntRange(min = 0, max = 30) int initial, @ForAll("orderSteps") List<OrderStep> steps) {
    Product product = decider.evolve(decider.initialState(),
        new ProductRegistered("p", "s", "c", "n", 100, initial, null, null, List.of(), List.of(), List.of()));
    long sold = 0;
    for (OrderStep step : steps) {
      String order = "o-" + step.order();
      ProductCommand command = switch (step.kind()) {
        case 0 -> new ReserveStock("p", order, (long) step.quantity());
        case 1 -> new ReleaseStock("p", order);
        default -> new SettleReservation("p", order);
      };
      boolean held = product.reservations().containsKey(order);
      List<ProductEvent> events = decider.decide(command, product);
      if (command instanceof ReserveStock) {
        assertThat(events).as("a reservation is answered unless held already").hasSize(held ? 0 : 1);
      } else {
        assertThat(events).as("only what is held is released or sold").hasSize(held ? 1 : 0);
      }
      for (ProductEvent event : events) {
        if (event instanceof ProductEvent.ReservationSettled settled) {
          sold += settled.quantity();
        }
      }
      product = decider.fold(product, events);
      long reserved = product.reservations().values().stream().mapToLong(Long::longValue).sum();
      assertThat(product.stock()).isNotNegative();
      assertThat(product.stock() + reserved + sold).as("stock, held and sold add up to the initial stock")
          .isEqualTo(initial);
    }
  }
}
