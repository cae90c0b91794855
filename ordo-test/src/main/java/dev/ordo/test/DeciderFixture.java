package dev.ordo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.command.CommandException;
import java.util.List;

/**
 * Given these events, when this command, then these events, or this rule broken. Reads like the
 * rule it checks:
 *
 * <pre>{@code
 * DeciderFixture.of(new ProductDecider())
 *     .given(registered(stock(5)))
 *     .when(new AdjustStock(id, -6, ORDER, null))
 *     .thenRuleBroken("insufficient-stock");
 * }</pre>
 */
public final class DeciderFixture<C, S, E> {

  private final Decider<C, S, E> decider;
  private final List<E> given;

  private DeciderFixture(Decider<C, S, E> decider, List<E> given) {
    this.decider = decider;
    this.given = given;
  }

  public static <C, S, E> DeciderFixture<C, S, E> of(Decider<C, S, E> decider) {
    return new DeciderFixture<>(decider, List.of());
  }

  @SafeVarargs
  public final DeciderFixture<C, S, E> given(E... events) {
    return new DeciderFixture<>(decider, List.of(events));
  }

  public When when(C command) {
    return new When(command);
  }

  public S state() {
    return decider.fold(decider.initialState(), given);
  }

  public final class When {

    private final C command;

    private When(C command) {
      this.command = command;
    }

    @SafeVarargs
    public final S then(E... expected) {
      List<E> events = decider.decide(command, state());
      assertThat(events).containsExactly(expected);
      return decider.fold(state(), events);
    }

    public void thenNothing() {
      assertThat(decider.decide(command, state())).isEmpty();
    }

    public void thenRuleBroken(String rule) {
      assertThatThrownBy(() -> decider.decide(command, state()))
          .isInstanceOfSatisfying(CommandException.RuleBroken.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }

    public void thenNotFound() {
      assertThatThrownBy(() -> decider.decide(command, state())).isInstanceOf(CommandException.NotFound.class);
    }
  }
}
