package dev.ordo.topology;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The distributed topology on one machine (ARCHITECTURE.md decision 11): one embedded PostgreSQL
 * with a write and a read database per service, a single-node Kafka, the write services (order,
 * dispatch, delivery, catalog), the read-model service and the gateway in front, each service a
 * child JVM of {@code app/target/ordo-app.jar} in its role, all on 127.0.0.1.
 *
 * <p>{@link #start} brings it up and waits until every service answers {@code UP}; {@link #close}
 * stops it in reverse, PostgreSQL last. Its state lives under {@link Options#directory()} and is kept:
 * a second run on the same directory carries on where the first stopped. The handle lets a test stop,
 * kill and restart any piece while the rest runs.
 */
public final class Topology implements AutoCloseable {

  public static final String GATEWAY = "gateway";
  public static final String POSTGRES = "postgres";
  public static final String KAFKA = "kafka";

  /**
   * The flags every child JVM starts with, for start-up time on a small machine: C1 only
   * ({@code TieredStopAtLevel=1}: no C2 compiler threads competing with six JVMs starting at once)
   * and the serial collector (no parallel GC threads, the smallest footprint). On 2 cores the six
   * were healthy 16-21 s after launch with them, 43-54 s without (fresh directories, twice each).
   * The price is peak throughput, which a local topology does not need: this is not how to run the
   * services in production.
   */
  static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-XX:+ExitOnOutOfMemoryError");
  static final String SERVICE_HEAP = "-Xmx384m";
  static final String GATEWAY_HEAP = "-Xmx256m";
  static final int PARTITIONS = 3;

  private final Options options;
  private final Path directory;
  private final Postgres postgres;
  private final Broker broker;
  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Set<String> databases = new LinkedHashSet<>();
  private final FileChannel lockChannel;
  private final FileLock lock;
  private volatile boolean stopping;
  private volatile Thread starter;
  private final CountDownLatch startDone = new CountDownLatch(1);
  private Duration startupTime;

  private Topology(Options options) {
    this.options = options;
    this.directory = options.directory().toAbsolutePath().normalize();
    // one topology per directory: a second would take the first one's processes for leftovers
    FileLock held;
    try {
      Files.createDirectories(directory);
      lockChannel = FileChannel.open(directory.resolve("topology.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      try {
        held = lockChannel.tryLock();
      } catch (OverlappingFileLockException inThisJvm) {
        held = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + directory, e);
    }
    if (held == null) {
      try {
        lockChannel.close();
      } catch (IOException ignored) {
        // nothing held
      }
      throw new IllegalStateException("another topology runs on " + directory);
    }
    lock = held;
    Ports ports = options.ports();
    Path logs = directory.resolve("logs");
    postgres = new Postgres(directory.resolve("postgres"), logs.resolve("postgres.log"), ports.postgres(),
        options.startTimeout(), options.grace());
    broker = new Broker(directory.resolve("kafka"), logs.resolve("kafka.log"), kafkaClassPath(), ports.kafka(),
        PARTITIONS, options.startTimeout(), options.grace());

    service("order", "order", ports.order(), "order", true);
    service("dispatch", "dispatch", ports.dispatch(), "dispatch", true);
    service("delivery", "delivery", ports.delivery(), "delivery", true);
    service("catalog", "catalog", ports.catalog(), "catalog", true);
    String readModel;
    if (options.splitReadModel()) {
      // the consumer builds the read models, the api answers from them: same databases, and only
      // the builder follows Kafka; the gateway's queries go to the api, as in deploy/k8s
      service("read-model-consumer", "consumer", ports.readModel(), "read_model", true);
      service("read-model-api", "api", ports.readModelApi(), "read_model", false);
      readModel = "read-model-api";
    } else {
      service("read-model", "full", ports.readModel(), "read_model", true);
      readModel = "read-model";
    }
    List<String> gateway = java(GATEWAY_HEAP, options.gatewayJar(), "--server.port=" + ports.gateway());
    for (String target : List.of("order", "dispatch", "delivery", "catalog")) {
      gateway.add("--ordo.gateway.services." + target + "=" + services.get(target).url());
    }
    gateway.add("--ordo.gateway.services.read-model=" + services.get(readModel).url());
    services.put(GATEWAY, new Service(GATEWAY, GATEWAY, ports.gateway(), gateway, logs.resolve("gateway.log"),
        options.startTimeout(), options.grace(), () -> stopping));
  }

  /** A role of the app: its write database {@code db} and read database {@code db_read}. */
  private void service(String name, String profile, int port, String database, boolean kafka) {
    databases.add(database);
    databases.add(database + "_read");
    List<String> command = java(SERVICE_HEAP, options.appJar(),
        "--spring.profiles.active=" + profile,
        "--server.port=" + port,
        "--ordo.db.url=" + postgres.jdbcUrl(database),
        "--ordo.read.db.url=" + postgres.jdbcUrl(database + "_read"),
        "--ordo.data.dir=" + directory.resolve(profile),
        // one key for every service: a token one of them accepts, all do
        "--ordo.security.key-file=" + signingKey());
    if (kafka) {
      command.add("--ordo.kafka.bootstrap-servers=" + broker.bootstrapServers());
    }
    if (database.equals("read_model")) {
      // it opens the addresses the order service sealed with the order service's keys
      command.add("--ordo.personal-data.db.url=" + postgres.jdbcUrl("order"));
    }
    services.put(name, new Service(name, profile, port, command, directory.resolve("logs").resolve(name + ".log"),
        options.startTimeout(), options.grace(), () -> stopping));
  }

  /** The signing key the services share: {@code ./ordo token --key-file} it to mint a token for them. */
  public Path signingKey() {
    return directory.resolve("security").resolve("signing-key.jwk");
  }

  private List<String> java(String heap, Path jar, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.addAll(JVM_FLAGS);
    command.add(Leftovers.MARKER + directory);
    command.add("-jar");
    command.add(jar.toAbsolutePath().normalize().toString());
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * Brings the whole topology up and waits until every service is healthy; on any failure stops
   * what it started and throws, naming the piece that failed and its log.
   */
  public static Topology start(Options options) {
    Topology topology = new Topology(options);
    topology.startAll();
    return topology;
  }

  /** A topology not started yet: the command line registers its shutdown hook first. */
  static Topology prepare(Options options) {
    return new Topology(options);
  }

  void startAll() {
    starter = Thread.currentThread();
    long began = System.nanoTime();
    try {
      requireFile(options.appJar(), "the app jar (build it: ./mvnw -pl app -am install -DskipTests)");
      requireFile(options.gatewayJar(), "the gateway jar (build it: ./mvnw -pl gateway -am install -DskipTests)");
      stopLeftovers();
      requireFreePorts();
      say("starting PostgreSQL on " + options.ports().postgres() + " and Kafka on " + options.ports().kafka());
      var database = CompletableFuture.runAsync(() -> {
        long t = System.nanoTime();
        postgres.start();
        postgres.createDatabases(List.copyOf(databases));
        say("PostgreSQL up (" + seconds(t) + ")");
      }, Topology::inThread);
      var kafka = CompletableFuture.runAsync(() -> {
        long t = System.nanoTime();
        try {
          broker.start();
        } catch (RuntimeException e) {
          throw new IllegalStateException(e.getMessage() + ", ending:\n" + tail(broker.log(), 40), e);
        }
        say("Kafka up (" + seconds(t) + ")");
      }, Topology::inThread);
      awaitBoth(database, kafka);
      // all at once: on two cores the JVMs share the CPU either way, and none waits for another
      long t = System.nanoTime();
      say("starting " + String.join(", ", services.keySet()));
      for (Service service : services.values()) {
        service.launch();
      }
      awaitHealthy(t);
      startupTime = Duration.ofNanos(System.nanoTime() - began);
      say("topology up in " + seconds(began));
    } catch (RuntimeException e) {
      close();
      throw e;
    } finally {
      starter = null;
      startDone.countDown();
    }
  }

  private void awaitHealthy(long since) {
    List<Service> waiting = new ArrayList<>(services.values());
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        Service service = it.next();
        if (!service.running()) {
          throw service.failure(service.name() + " exited with code " + service.exitCode().orElse(-1)
              + " before it was healthy");
        }
        if (service.healthy()) {
          say(service.name() + " healthy (" + seconds(since) + ")");
          it.remove();
        }
      }
      if (stopping || Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("stopped while starting");
      }
      if (!waiting.isEmpty() && System.nanoTime() > deadline) {
        Service late = waiting.getFirst();
        throw late.failure(late.name() + " did not answer UP on " + late.url() + "/actuator/health within "
            + options.startTimeout().toSeconds() + " s");
      }
      Service.sleep(250);
    }
  }

  /**
   * Waits for both; when interrupted (stopped while starting), still until both have finished, so
   * that what they started is there to be stopped.
   */
  private static void awaitBoth(CompletableFuture<Void> first, CompletableFuture<Void> second) {
    var both = CompletableFuture.allOf(first, second);
    try {
      both.get();
    } catch (InterruptedException e) {
      try {
        both.join();
      } catch (CompletionException ignored) {
        // stopping anyway
      }
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stopped while starting");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    }
  }

  /** A thread of its own: the common pool has a single thread on two cores. */
  private static void inThread(Runnable task) {
    Thread.ofPlatform().daemon().name("topology-start").start(task);
  }

  /** What a killed run on this directory left running: the services first, then Kafka, then PostgreSQL (in its start). */
  private void stopLeftovers() {
    var left = Leftovers.services(directory);
    if (!left.isEmpty()) {
      say("stopping " + left.size() + " service(s) an earlier run left running");
      Leftovers.stop(left, options.grace());
    }
    var kafka = Leftovers.broker(directory.resolve("kafka"));
    if (!kafka.isEmpty()) {
      say("stopping the Kafka an earlier run left running");
      Leftovers.stop(kafka, options.grace());
    }
  }

  /**
   * Fails at once when a port is taken (another topology, an all-in-one app on 8080): a service
   * would otherwise fail only after starting, and zonky would take another PostgreSQL on its port
   * for its own.
   */
  private void requireFreePorts() {
    Map<String, Integer> wanted = new LinkedHashMap<>();
    wanted.put(POSTGRES, options.ports().postgres());
    wanted.put(KAFKA, options.ports().kafka());
    services.values().forEach(service -> wanted.put(service.name(), service.port()));
    List<String> taken = new ArrayList<>();
    wanted.forEach((name, port) -> {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        taken.add(name + " " + port);
      }
    });
    if (!taken.isEmpty()) {
      throw new IllegalStateException("port(s) in use: " + String.join(", ", taken)
          + " (--port-base, --postgres-port and --kafka-port choose others)");
    }
  }

  /** A service by name: order, dispatch, delivery, catalog, read-model (or read-model-consumer and read-model-api), gateway. */
  public Service service(String name) {
    Service service = services.get(name);
    if (service == null) {
      throw new NoSuchElementException("no service " + name + "; there are " + services.keySet());
    }
    return service;
  }

  /** Every service, the gateway last: the order they start in. */
  public List<Service> services() {
    return List.copyOf(services.values());
  }

  public Broker broker() {
    return broker;
  }

  public Postgres postgres() {
    return postgres;
  }

  /** The base URL of a service ({@code http://127.0.0.1:<port>}); {@link #GATEWAY} is the one clients use. */
  public URI url(String name) {
    return service(name).url();
  }

  /** The JDBC URL of one of the databases, e.g. {@code order} or {@code read_model_read}. */
  public String jdbcUrl(String database) {
    if (!databases.contains(database)) {
      throw new NoSuchElementException("no database " + database + "; there are " + databases);
    }
    return postgres.jdbcUrl(database);
  }

  public Path directory() {
    return directory;
  }

  /** Whether {@link #close} has begun. */
  public boolean stopping() {
    return stopping;
  }

  /** From the call to {@link #start} to the last service healthy. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Name, URL, pid and log of every piece, as a table. */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "URL", "PID", "LOG"});
    rows.add(new String[] {POSTGRES, postgres.jdbcUrl("<database>"), Long.toString(postgres.pid()),
        shown(postgres.log())});
    rows.add(new String[] {KAFKA, broker.bootstrapServers(), Long.toString(broker.pid()), shown(broker.log())});
    for (Service service : services.values()) {
      rows.add(new String[] {service.name(), service.url().toString(), Long.toString(service.pid()),
          shown(service.log())});
    }
    int[] widths = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    var table = new StringBuilder();
    for (String[] row : rows) {
      table.append(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %s%n",
          row[0], row[1], row[2], row[3]));
    }
    table.append("token: ./ordo token --key-file ").append(shown(signingKey())).append(" --user <you> --role admin\n");
    return table.toString();
  }

  /**
   * Stops everything in reverse: the gateway, the read-model service, the write services (side by
   * side), Kafka, PostgreSQL last. Each gets SIGTERM and is killed after the grace period. Safe to
   * call from a shutdown hook while {@link #start} is still running.
   */
  @Override
  public void close() {
    stopping = true;
    Thread startup = starter;
    if (startup != null && startup != Thread.currentThread()) {
      // the starting thread gives up and stops what it started; then there is nothing left here
      startup.interrupt();
      try {
        startDone.await(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopLocked();
  }

  private synchronized void stopLocked() {
    if (!lockChannel.isOpen()) {
      return;
    }
    long began = System.nanoTime();
    List<Service> reverse = new ArrayList<>(services.values()).reversed();
    List<Service> writes = reverse.stream().filter(s -> Stream.of("order", "dispatch", "delivery", "catalog")
        .anyMatch(s.role()::equals)).toList();
    for (Service service : reverse) {
      if (!writes.contains(service)) {
        stopOne(service.name(), service::running, service::stop);
      }
    }
    writes.stream().map(service -> CompletableFuture.runAsync(() -> stopOne(service.name(), service::running,
        service::stop), Topology::inThread)).toList().forEach(CompletableFuture::join);
    stopOne(KAFKA, broker::running, broker::stop);
    stopOne(POSTGRES, postgres::running, postgres::stop);
    try {
      Files.deleteIfExists(directory.resolve("topology.pid"));
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
    say("topology stopped (" + seconds(began) + ")");
  }

  private void stopOne(String name, java.util.function.BooleanSupplier running, Runnable stop) {
    if (!running.getAsBoolean()) {
      return;
    }
    long t = System.nanoTime();
    try {
      stop.run();
      say("stopped " + name + " (" + seconds(t) + ")");
    } catch (RuntimeException e) {
      say("stopping " + name + " failed: " + e);
    }
  }

  private void say(String line) {
    Consumer<String> progress = options.progress();
    progress.accept(line);
  }

  private String shown(Path path) {
    Path here = Path.of("").toAbsolutePath();
    return path.startsWith(here) ? here.relativize(path).toString() : path.toString();
  }

  private static String seconds(long since) {
    return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no " + what + " at " + file.toAbsolutePath());
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ")";
    }
  }

  /**
   * The class path the broker's JVM runs from: this one when it holds Kafka (the tests, or
   * {@code -cp 'ordo-topology.jar:lib/*'}), else this jar and the {@code lib} directory beside it
   * ({@code java -jar}: the manifest's class path is not in {@code java.class.path}).
   */
  static String kafkaClassPath() {
    String classPath = System.getProperty("java.class.path");
    if (classPath.contains("kafka_2.13")) {
      return classPath;
    }
    try {
      Path jar = Path.of(Topology.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar + File.pathSeparator + jar.resolveSibling("lib").resolve("*");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code ./ordo topology}: see {@link TopologyCommand}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TopologyCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
