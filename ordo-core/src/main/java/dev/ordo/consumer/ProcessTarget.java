package dev.ordo.consumer;

import dev.ordo.command.Caller;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A process (saga) as a target: its projection reacts to events by {@link Commands#send sending
 * commands}, dispatched on the command bus as they are sent, many at once: commands to one
 * aggregate in the order they were sent, commands to different aggregates side by side (so the
 * store combines their appends). Every command of a batch has taken effect before its checkpoint
 * moves; a projection that {@linkplain Commands#await awaits} them in its {@code flush} has a
 * command that keeps failing be the failure of the event that sent it, parked like any other. Each command's id is derived from the process, the event that caused it and
 * its place among that event's commands, and the command log records a command in the
 * transaction of its append: so a command sent again (a replay, a crash between a command and the
 * checkpoint) is found done and not dispatched twice. A command the domain refuses is recorded as
 * failed, so a replay does not try it again either.
 *
 * @param <P> the source's position
 */
public final class ProcessTarget<P> implements Target<ProcessTarget.Commands, P> {

  private final String name;
  private final P start;
  private final CommandBus bus;
  private final CommandLog commandLog;
  private final Checkpoints<P> checkpoints;
  private final Predicate<Throwable> transientFailure;
  private final ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param start            the source's start, for a process never run
   * @param transientFailure which failures say nothing about the event (the store went away, a race
   *                         lost): retried without end
   */
  public ProcessTarget(String name, P start, CommandBus bus, CommandLog commandLog, Checkpoints<P> checkpoints,
      Predicate<Throwable> transientFailure) {
    this.name = name;
    this.start = start;
    this.bus = bus;
    this.commandLog = commandLog;
    this.checkpoints = checkpoints;
    this.transientFailure = transientFailure;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<P> checkpoint() {
    return checkpoints.load(name);
  }

  @Override
  public Optional<Lease> lead() {
    return checkpoints.lead(name);
  }

  @Override
  public boolean isTransient(Throwable failure) {
    return transientFailure.test(failure);
  }

  @Override
  public boolean blocked() {
    return checkpoints.blocked(name);
  }

  @Override
  public Transaction<Commands, P> begin() {
    Optional<P> saved = checkpoints.load(name);
    Commands commands = new Commands(name, this::dispatch, lanes);
    return new Transaction<>() {
      private P to;

      @Override
      public P checkpoint() {
        return saved.orElse(start);
      }

      @Override
      public Commands work() {
        return commands;
      }

      @Override
      public void move(P to, long applied) {
        this.to = to;
      }

      @Override
      public void park(RecordedEvent event, P position, String error, int attempts, boolean blocking) {
        checkpoints.park(name, event, position, error, attempts, blocking);
      }

      @Override
      public void commit() {
        commands.await(); // never a checkpoint past a command still running
        if (to != null) {
          checkpoints.save(name, saved, to);
        }
      }

      /**
       * A batch given up (an event failed, the runner stops) still waits for the commands it sent:
       * the next attempt sends them again, and must not overtake them on their aggregates.
       */
      @Override
      public void close() {
        commands.awaitQuietly();
      }
    };
  }

  private void dispatch(Command command) {
    if (!bus.handles(command.command().getClass())) {
      return; // another service owns that aggregate, and runs this process to send it there
    }
    Optional<CommandRecord> known = commandLog.find(command.id());
    if (known.isPresent() && !(known.get() instanceof CommandRecord.Pending)) {
      return; // done (or refused) before: a replay, or a crash before the checkpoint moved
    }
    String type = command.command().getClass().getName();
    var metadata = new CommandMetadata(command.id(), command.cause().metadata().correlationId() != null
        ? command.cause().metadata().correlationId() : command.cause().eventId().toString(),
        command.cause().eventId().toString(), Caller.system("process:" + name), command.cause().metadata().traceParent());
    try {
      bus.dispatch(new CommandEnvelope<>(command.command(), command.aggregateId(), ExpectedVersion.any(), metadata,
          new AppendRequest.CommandCompletion(command.id(), null, null, type, false, metadata.actor())));
    } catch (CommandException.RuleBroken e) {
      if (known.isEmpty()) {
        commandLog.accept(CommandRecord.Pending.running(command.id(), type, null, null));
      }
      commandLog.fail(command.id(), "{\"rule\":\"" + e.rule() + "\",\"detail\":" + quoted(e.getMessage()) + "}");
    }
  }

  private static String quoted(String text) {
    return text == null ? "null" : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private record Command(UUID id, Object command, String aggregateId, RecordedEvent cause) {}

  /** What a process's projection sends commands with while it handles an event. */
  public static final class Commands {

    /** At most this many commands of a batch run at once; one aggregate's always one after another. */
    private static final int LANES = 256;

    private final String process;
    private final java.util.function.Consumer<Command> dispatch;
    private final ExecutorService executor;
    private final Map<UUID, Integer> perEvent = new HashMap<>();
    private final CompletableFuture<?>[] lanes = new CompletableFuture<?>[LANES];

    Commands(String process, java.util.function.Consumer<Command> dispatch, ExecutorService executor) {
      this.process = process;
      this.dispatch = dispatch;
      this.executor = executor;
    }

    /**
     * Sends a command because of {@code cause}; its id is the same every time the event is handled
     * again, so it takes effect once. It runs after the commands sent before it to the same
     * aggregate; {@link #await} waits for it.
     *
     * @return the command's id
     */
    public UUID send(Object command, String aggregateId, RecordedEvent cause) {
      int index = perEvent.merge(cause.eventId(), 1, Integer::sum) - 1;
      UUID id = UUID.nameUUIDFromBytes((process + "/" + cause.eventId() + "/" + index).getBytes(StandardCharsets.UTF_8));
      var sent = new Command(id, command, aggregateId, cause);
      int lane = Math.floorMod(aggregateId.hashCode(), LANES);
      CompletableFuture<?> before = lanes[lane];
      lanes[lane] = before == null
          ? CompletableFuture.runAsync(() -> dispatch.accept(sent), executor)
          // only after the one before it took effect: a release must never run, and be recorded done,
          // ahead of the reservation it gives back; a failure fails the batch, which is sent again
          : before.thenRunAsync(() -> dispatch.accept(sent), executor);
      return id;
    }

    /** Waits for every command sent so far, whatever their outcome. */
    void awaitQuietly() {
      try {
        await();
      } catch (RuntimeException ignored) {
        // the batch failed already; this one's outcome is the next attempt's to find
      }
    }

    /** Waits for every command sent so far; throws the first failure among them. */
    public void await() {
      RuntimeException first = null;
      for (int i = 0; i < LANES; i++) {
        CompletableFuture<?> lane = lanes[i];
        if (lane == null) {
          continue;
        }
        try {
          lane.join();
        } catch (CompletionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r : e;
          }
        }
        lanes[i] = null;
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
