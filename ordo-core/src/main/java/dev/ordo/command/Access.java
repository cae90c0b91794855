package dev.ordo.command;

/**
 * Who may run which command of an aggregate, decided on the state the command would be decided
 * on (a seller changes the products of their own stores): a pure function like the decider, run
 * in the same attempt, so a refused command writes nothing. The system and admins are not asked.
 *
 * @param <C> the aggregate's commands
 * @param <S> its state
 */
@FunctionalInterface
public interface Access<C, S> {

  /** Admins only: what an aggregate that declares nothing allows. */
  static <C, S> Access<C, S> adminsOnly() {
    return (caller, command, state) -> false;
  }

  boolean allows(Caller caller, C command, S state);
}
