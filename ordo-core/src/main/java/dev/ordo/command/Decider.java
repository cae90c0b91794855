package dev.ordo.command;

import java.util.List;

/**
 * An aggregate's rules as two pure functions (ARCHITECTURE.md decision 5): what a command makes
 * happen given the state, and how an event changes the state. No I/O, no clock, no mutation.
 *
 * @param <C> the aggregate's commands, a sealed interface
 * @param <S> its state, a record
 * @param <E> its events, a sealed interface
 */
public interface Decider<C, S, E> {

  /** The state before the first event. */
  S initialState();

  /**
   * The events the command makes happen; empty when it changes nothing.
   *
   * @throws CommandException.RuleBroken when the command breaks a business rule
   * @throws CommandException.NotFound when the command needs an aggregate that does not exist
   */
  List<E> decide(C command, S state);

  S evolve(S state, E event);

  default S fold(S state, List<? extends E> events) {
    for (E event : events) {
      state = evolve(state, event);
    }
    return state;
  }
}
