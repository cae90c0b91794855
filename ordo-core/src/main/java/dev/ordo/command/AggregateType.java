package dev.ordo.command;

import dev.ordo.codec.EventCodec;
import dev.ordo.eventstore.UniqueKey;
import java.util.Set;
import java.util.function.Function;

/**
 * What the platform needs to know of an aggregate to load it and run its commands.
 *
 * @param streamType         names its streams in the log ({@code product})
 * @param stateClass         its state, a record Jackson can write to a snapshot and read back
 * @param stateSchemaVersion raised when the state's shape changes: older snapshots are ignored
 * @param uniqueKeys         the values a state holds that no other aggregate may hold; the
 *                           difference before and after a command is claimed and released in the
 *                           command's append. A taken key breaks the rule named by the key's scope
 *                           up to its first {@code :} followed by {@code -taken}.
 * @param access             who may run which command; admins only unless declared
 */
public record AggregateType<C, S, E>(
    String streamType,
    Decider<C, S, E> decider,
    EventCodec<E> codec,
    Class<S> stateClass,
    int stateSchemaVersion,
    Function<S, Set<UniqueKey>> uniqueKeys,
    Access<C, S> access) {

  public AggregateType(String streamType, Decider<C, S, E> decider, EventCodec<E> codec, Class<S> stateClass,
      int stateSchemaVersion) {
    this(streamType, decider, codec, stateClass, stateSchemaVersion, state -> Set.of());
  }

  public AggregateType(String streamType, Decider<C, S, E> decider, EventCodec<E> codec, Class<S> stateClass,
      int stateSchemaVersion, Function<S, Set<UniqueKey>> uniqueKeys) {
    this(streamType, decider, codec, stateClass, stateSchemaVersion, uniqueKeys, Access.adminsOnly());
  }

  public AggregateType<C, S, E> withAccess(Access<C, S> access) {
    return new AggregateType<>(streamType, decider, codec, stateClass, stateSchemaVersion, uniqueKeys, access);
  }

  /** Whether the caller may run the command on this state: the system and admins always may. */
  public boolean allows(Caller caller, C command, S state) {
    return caller != null && (caller.isSystem() || caller.isAdmin() || access.allows(caller, command, state));
  }

  static String ruleOf(UniqueKey key) {
    int colon = key.scope().indexOf(':');
    return (colon < 0 ? key.scope() : key.scope().substring(0, colon)) + "-taken";
  }

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
}
