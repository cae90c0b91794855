package dev.ordo.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.ProductCommand.AdjustStock;
import dev.ordo.catalog.product.ProductEvent.ProductRegistered;
import dev.ordo.command.CommandException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StockProperties {

  private final ProductDecider decider = new ProductDecider();

  @Property(tries = 500)
  void anySequenceOfAdjustmentsKeepsStockAtLeastZeroAndEndsAtTheAcceptedSum(
      @ForAll @IntRange(min = 0, max = 50) int initial,
      @ForAll @Size(max = 60) List<@IntRange(min = -20, max = 20) Integer> deltas) {
    Product product = decider.evolve(decider.initialState(),
        new ProductRegistered("p", "s", "c", "n", 100, initial, null, null, List.of()));
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
}
