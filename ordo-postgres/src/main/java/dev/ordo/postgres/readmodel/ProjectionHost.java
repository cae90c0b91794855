package dev.ordo.postgres.readmodel;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Source;
import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.EventStore;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts one projection in this process: keeps a runner for each of its live generations (the
 * ACTIVE one that answers queries, and a BUILDING one during a rebuild), starts rebuilds, drops
 * retired generations, and works its dead letters.
 *
 * <p>At start-up: no generation yet → the first is created ACTIVE; an ACTIVE generation of
 * another version than the code's → a new one is built beside it (blue/green). The old one keeps
 * answering; it keeps up only while its version is the code's (a rebuild of the same version) —
 * this build cannot apply an older version's logic, so after a version bump the old tables answer
 * as they stood (or as older instances still running keep them) until the new one takes over.
 */
public final class ProjectionHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProjectionHost.class);

  private static final String GENERATIONS = """
      SELECT generation, version, state, tx_id, position, applied, started_at, switched_at
        FROM projection_generations WHERE name = ? ORDER BY generation
      """;

  private static final String NEXT_GENERATION = """
      SELECT coalesce(max(generation), 0) + 1 FROM projection_generations WHERE name = ?
      """;

  private static final String INSERT_GENERATION = """
      INSERT INTO projection_generations (name, generation, version, state) VALUES (?, ?, ?, ?)
      """;

  private static final String DELETE_GENERATION = """
      DELETE FROM projection_generations WHERE name = ? AND generation = ?
      """;

  private final EventStore store;
  private final DataSource readDatabase;
  private final Source<LogPosition> source;
  private final Projection<Connection> projection;
  private final String tables;
  private final int batchSize;
  private final int maxAttempts;
  private final Map<Integer, ConsumerRunner<Connection, LogPosition>> runners = new ConcurrentHashMap<>();
  private final DeadLetters deadLetters;
  private volatile boolean running;

  /**
   * @param tables the statements creating the projection's tables and indexes, unqualified; run
   *     once per generation, in its schema
   */
  public ProjectionHost(EventStore store, DataSource readDatabase, Projection<Connection> projection, String tables,
      int batchSize, int maxAttempts) {
    this.store = store;
    this.source = Source.log(store);
    this.readDatabase = readDatabase;
    this.projection = projection;
    this.tables = tables;
    this.deadLetters = new DeadLetters(store, projection);
    this.batchSize = batchSize;
    this.maxAttempts = maxAttempts;
  }

  public Projection<Connection> projection() {
    return projection;
  }

  /**
   * Answers from the read model without running it: another instance (a read-model service's
   * {@code consumer}) builds it; where it stands is read from its committed checkpoint.
   */
  public ProjectionHost serveOnly() {
    running = false;
    return this;
  }

  /** Sets up the first generation or a rebuild for a new version, then runs what is live. */
  public ProjectionHost start() {
    running = true;
    inTransaction(connection -> {
      List<Generation> generations = generations(connection);
      Optional<Generation> active = generations.stream().filter(g -> g.state() == Generation.State.ACTIVE).findFirst();
      Optional<Generation> building =
          generations.stream().filter(g -> g.state() == Generation.State.BUILDING).findFirst();
      if (building.isPresent() && building.get().version() != projection.version()) {
        drop(connection, building.get()); // a rebuild of a version this build does not have
        building = Optional.empty();
      }
      if (active.isEmpty() && building.isEmpty()) {
        Generation first = create(connection, Generation.State.ACTIVE);
        TableTarget.pointViewsAt(connection, first.schema());
      } else if (active.isPresent() && active.get().version() != projection.version() && building.isEmpty()) {
        log.info("projection {}: version {} in code, {} in the read database: rebuilding beside it",
            projection.name(), projection.version(), active.get().version());
        create(connection, Generation.State.BUILDING);
      }
      return null;
    });
    refresh();
    return this;
  }

  /**
   * Brings this process in line with the registry: runs live generations of the code's version,
   * stops runners of retired ones and drops their tables. Called periodically, so a rebuild started
   * or a switch made by another instance is followed here.
   */
  public void refresh() {
    if (!running) {
      return;
    }
    List<Generation> generations = inTransaction(this::generations);
    for (Generation generation : generations) {
      switch (generation.state()) {
        case RETIRED -> {
          var runner = runners.remove(generation.generation());
          if (runner != null) {
            runner.close();
          }
          inTransaction(connection -> {
            drop(connection, generation);
            return null;
          });
        }
        case ACTIVE, BUILDING -> {
          if (generation.version() == projection.version()) {
            runners.computeIfAbsent(generation.generation(), g -> new ConsumerRunner<>(source,
                new TableTarget(readDatabase, generation), projection, batchSize, maxAttempts).start());
          }
        }
      }
    }
    runners.values().removeIf(runner -> {
      if (runner.target().retired()) {
        runner.close();
        return true;
      }
      return false;
    });
  }

  /** Starts building a new generation from the start of the log; the current one keeps answering. */
  public Generation rebuild() {
    Generation building = inTransaction(connection -> {
      if (generations(connection).stream().anyMatch(g -> g.state() == Generation.State.BUILDING)) {
        throw new IllegalStateException("a rebuild of " + projection.name() + " is already running");
      }
      return create(connection, Generation.State.BUILDING);
    });
    refresh();
    return building;
  }

  /**
   * The position the ACTIVE generation has applied, if this process runs it; its committed
   * checkpoint if it only serves it.
   */
  public Optional<LogPosition> activePosition() {
    if (!running) {
      return inTransaction(connection -> generations(connection).stream()
          .filter(g -> g.state() == Generation.State.ACTIVE).findFirst().map(Generation::checkpoint));
    }
    return activeRunner().map(ConsumerRunner::position);
  }

  /** Whether a rebuild is in progress. */
  public boolean building() {
    return runners.values().stream().anyMatch(runner -> runner.target().building());
  }

  /** The runner of the ACTIVE generation in this process. */
  public Optional<ConsumerRunner<Connection, LogPosition>> activeRunner() {
    // right after a switch the old runner may not know yet that it was retired: the newest wins
    return runners.entrySet().stream()
        .filter(e -> !e.getValue().target().building() && !e.getValue().target().retired())
        .max(Map.Entry.comparingByKey()).map(Map.Entry::getValue);
  }

  /**
   * The generation that answers queries, if this process runs it, is up to date as far as it knows
   * (its last batch did not fail), and leads: what a cache of answers may be kept for.
   */
  public Optional<Integer> servingGeneration() {
    return runners.entrySet().stream()
        .filter(e -> !e.getValue().target().building() && !e.getValue().target().retired())
        .max(Map.Entry.comparingByKey())
        .filter(e -> e.getValue().leading() && !e.getValue().stalled())
        .map(Map.Entry::getKey);
  }

  public ProjectionStatus status() {
    return inTransaction(connection -> {
      long parked = deadLetters.parked(connection);
      ProjectionStatus.Progress active = null;
      ProjectionStatus.Progress rebuild = null;
      for (Generation generation : generations(connection)) {
        if (generation.state() == Generation.State.RETIRED) {
          continue;
        }
        var runner = runners.get(generation.generation());
        LogPosition at = generation.checkpoint();
        if (runner != null && runner.leading()) {
          at = runner.position();
        }
        var lag = source.lag(at);
        long lagEvents = lag.events();
        long lagMillis = lag.millis();
        String state = runner == null ? "NOT_RUN_HERE"
            : runner.halted() ? "HALTED"
            : runner.leading() ? "RUNNING" : "STANDBY";
        double rate = runner == null || !runner.leading() ? 0 : runner.rate();
        Long eta = null;
        if (rate > 0 || lagEvents == 0) {
          eta = lagEvents == 0 ? 0L : Long.valueOf((long) Math.ceil(lagEvents / rate));
        }
        var progress = new ProjectionStatus.Progress(generation.generation(), generation.version(), state,
            at.position(), lagEvents, lagMillis, generation.applied(), Math.round(rate), eta, generation.startedAt());
        if (generation.state() == Generation.State.ACTIVE) {
          active = progress;
        } else {
          rebuild = progress;
        }
      }
      return new ProjectionStatus(projection.name(), projection.version(), projection.onFailure().name(), active,
          rebuild, parked);
    });
  }

  public List<DeadLetter> deadLetters() {
    return inTransaction(deadLetters::list);
  }

  /**
   * Applies a parked event again, now. Succeeds → RETRIED, and a projection stopped at it goes on;
   * fails → it stays parked, with the new error, and the failure is thrown.
   */
  public void retry(long deadLetterId) throws DeadLetterException {
    resolve(deadLetterId, true);
  }

  /** Gives up on a parked event: SKIPPED, and a projection stopped at it goes on after it. */
  public void skip(long deadLetterId) throws DeadLetterException {
    resolve(deadLetterId, false);
  }

  private void resolve(long id, boolean retry) throws DeadLetterException {
    String failure = inTransaction(connection -> deadLetters.resolve(connection, id, retry));
    if ("missing".equals(failure)) {
      throw new DeadLetterException(DeadLetterException.Reason.NOT_PARKED,
          "no parked dead letter " + id + " for " + projection.name());
    }
    if (failure != null) {
      throw new DeadLetterException(DeadLetterException.Reason.STILL_FAILING, failure);
    }
    runners.values().forEach(ConsumerRunner::resume);
  }

  private List<Generation> generations(Connection connection) throws SQLException {
    List<Generation> generations = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(GENERATIONS)) {
      select.setString(1, projection.name());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime switched = rs.getObject(8, OffsetDateTime.class);
          generations.add(new Generation(projection.name(), rs.getInt(1), rs.getInt(2),
              Generation.State.valueOf(rs.getString(3)), new LogPosition(rs.getLong(4), rs.getLong(5)),
              rs.getLong(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
              switched == null ? null : switched.toInstant()));
        }
      }
    }
    return generations;
  }

  /** A new generation: its row, its schema and its tables, in the caller's transaction. */
  private Generation create(Connection connection, Generation.State state) throws SQLException {
    int number;
    try (PreparedStatement next = connection.prepareStatement(NEXT_GENERATION)) {
      next.setString(1, projection.name());
      try (ResultSet rs = next.executeQuery()) {
        rs.next();
        number = rs.getInt(1);
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_GENERATION)) {
      insert.setString(1, projection.name());
      insert.setInt(2, number);
      insert.setInt(3, projection.version());
      insert.setString(4, state.name());
      insert.executeUpdate();
    }
    String schema = Generation.schema(projection.name(), number);
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
      statement.execute("SET LOCAL search_path = " + schema + ", public");
      statement.execute(tables);
      statement.execute("SET LOCAL search_path = public");
    }
    log.info("projection {}: generation {} (version {}) created {}", projection.name(), number,
        projection.version(), state);
    return new Generation(projection.name(), number, projection.version(), state, LogPosition.START, 0,
        Instant.now(), null);
  }

  private void drop(Connection connection, Generation generation) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + generation.schema() + " CASCADE");
    }
    deadLetters.drop(connection, generation.generation());
    try (PreparedStatement delete = connection.prepareStatement(DELETE_GENERATION)) {
      delete.setString(1, projection.name());
      delete.setInt(2, generation.generation());
      delete.executeUpdate();
    }
    log.info("projection {}: generation {} dropped", projection.name(), generation.generation());
  }

  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs the work in one transaction, serialized per projection across processes. */
  private <T> T inTransaction(Work<T> work) {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock = connection.prepareStatement(
            "SELECT pg_advisory_xact_lock(hashtextextended(?, 1))")) {
          lock.setString(1, "ordo-projection-host:" + projection.name());
          lock.executeQuery().close();
        }
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailed) { // a dead connection: the first error says why
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("managing projection " + projection.name(), e);
    }
  }

  @Override
  public void close() {
    runners.values().forEach(ConsumerRunner::close);
    runners.clear();
  }
}
