package dev.ordo.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * start_healthy_s, rss_idle_mib, rss_load_mib: the real app ({@code app/target/ordo-app.jar}, every
 * context, its embedded PostgreSQL) in a process of its own, started as the image and {@code ./ordo}
 * start it: with the JVM flags {@code deploy/docker/app.Dockerfile} sets in {@code JAVA_TOOL_OPTIONS}
 * (the defaults), beside the same jar with no flags at all (the baseline: the JVM's ergonomic
 * defaults on this machine), alternating, each run on a fresh data directory under /tmp.
 *
 * <p>Memory is the app's whole footprint: the JVM and its embedded PostgreSQL (the postmaster the
 * data directory's {@code postmaster.pid} names, and every process under it), each process's PSS from
 * {@code /proc/<pid>/smaps_rollup}, summed: PostgreSQL's shared memory counts once, not once per
 * backend that touched it, as a container's memory limit counts it.
 */
final class FootprintBenchmark {

  static final List<String> FIGURES = List.of("start_healthy_s", "rss_idle_mib", "rss_load_mib");

  private static final Path JAR = Path.of("app/target/ordo-app.jar");
  private static final Path DOCKERFILE = Path.of("deploy/docker/app.Dockerfile");
  private static final Pattern TOOL_OPTIONS = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"");
  private static final int CLIENTS = 64;
  /** Starts on the data directory a first start made, per run: start_healthy_s is their median. */
  private static final int RESTARTS = 3;
  private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
  private static final Duration HEALTHY_PATIENCE = Duration.ofMinutes(3);
  private static final List<String> POSTGRES_SETTINGS = List.of("shared_buffers", "work_mem", "maintenance_work_mem",
      "max_connections", "autovacuum_max_workers");
  private static final List<String> JVM_SETTINGS = List.of("UseSerialGC", "UseG1GC", "UseParallelGC", "MaxHeapSize",
      "MaxMetaspaceSize", "ReservedCodeCacheSize", "ThreadStackSize");

  /** The JVM flags one side starts the app with, and what the JVM made of them. */
  private record Side(String name, List<String> flags, Map<String, String> jvm) {

    static Side of(String name, List<String> flags) throws IOException, InterruptedException {
      return new Side(name, flags, finalFlags(flags));
    }
  }

  /** One run of one side: seconds to healthy, memory idle and at the peak of the load. */
  private record Run(double firstStartSeconds, List<Double> startSeconds, Memory idle, Memory peak,
      Load.Stats load, int postgresProcessesAtPeak, Map<String, String> postgresSettings) {}

  /** One sample of the footprint, in MiB: the sum, the JVM's RSS and PSS alone, PostgreSQL's part of the sum. */
  record Memory(double totalMib, double jvmRssMib, double jvmPssMib, double postgresMib) {}

  private FootprintBenchmark() {}

  static void run(Bench.Settings settings, Map<String, Bench.Result> results) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the benchmark from the repository "
          + "root after ./mvnw -pl app -am package -DskipTests");
    }
    Side defaults = Side.of("defaults", imageFlags());
    Side ergonomic = Side.of("ergonomic", List.of());
    int products = settings.quick() ? 200 : 1_000;
    Duration idle = settings.quick() ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
    Duration measure = settings.quick() ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
    // command_http's compiling load, then its warm-up: a new JVM's paths compiled before requests/s counts
    Duration warmUp = (settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15)).plus(settings.warmUp());
    List<Run> ours = new ArrayList<>();
    List<Run> theirs = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      theirs.add(run(ergonomic, products, idle, warmUp, measure));
      print(ergonomic, run, theirs.getLast());
      ours.add(run(defaults, products, idle, warmUp, measure));
      print(defaults, run, ours.getLast());
    }
    results.put("start_healthy_s", startFigure(defaults, ergonomic, ours, theirs));
    results.put("rss_idle_mib", idleFigure(defaults, ergonomic, ours, theirs, idle));
    results.put("rss_load_mib", loadFigure(defaults, ergonomic, ours, theirs, products, warmUp,
        measure));
  }

  /** The flags of {@code ENV JAVA_TOOL_OPTIONS="..."} in the image's Dockerfile: what the image runs with. */
  private static List<String> imageFlags() throws IOException {
    Matcher matcher = TOOL_OPTIONS.matcher(Files.readString(DOCKERFILE));
    if (!matcher.find()) {
      throw new IllegalStateException(DOCKERFILE + " sets no ENV JAVA_TOOL_OPTIONS=\"...\": the defaults measured");
    }
    return List.of(matcher.group(1).trim().split("\\s+"));
  }

  /**
   * A first start on an empty data directory (initdb), 200 or 1,000 products, a clean stop, then
   * {@link #RESTARTS} starts on that directory; the last one idles, then takes command_http's load.
   */
  private static Run run(Side side, int products, Duration idle, Duration warmUp, Duration measure)
      throws Exception {
    Path data = Files.createTempDirectory("ordo-footprint-");
    Run result;
    try {
      double first;
      String token;
      List<String> ids;
      try (App app = App.start(side, data)) {
        first = app.startSeconds;
        token = token(data);
        ids = app.seed(products, token);
      }
      List<Double> starts = new ArrayList<>();
      for (int start = 1; start < RESTARTS; start++) {
        try (App app = App.start(side, data)) {
          starts.add(app.startSeconds);
        }
      }
      try (App app = App.start(side, data)) {
        starts.add(app.startSeconds);
        Thread.sleep(idle.toMillis());
        Memory idleMemory = app.memory();
        Map<String, String> postgresSettings = app.postgresSettings();
        AtomicReference<Memory> peak = new AtomicReference<>(idleMemory);
        AtomicReference<Integer> processes = new AtomicReference<>(app.postgresProcesses().size());
        Thread sampler = Thread.ofPlatform().daemon().name("footprint-sampler").start(() -> {
          try {
            while (!Thread.currentThread().isInterrupted()) {
              Memory now = app.memory();
              if (now.totalMib() > peak.get().totalMib()) {
                peak.set(now);
                processes.set(app.postgresProcesses().size());
              }
              Thread.sleep(SAMPLE_INTERVAL.toMillis());
            }
          } catch (InterruptedException e) {
            // the load is over
          }
        });
        Load.Stats load;
        try {
          load = app.load(token, ids, warmUp, measure);
        } finally {
          sampler.interrupt();
          sampler.join();
        }
        result = new Run(first, starts, idleMemory, peak.get(), load, processes.get(), postgresSettings);
      }
    } finally {
      delete(data);
    }
    Files.delete(log(data)); // kept when a run fails, for its reason
    return result;
  }

  /** Where the app started on {@code data} writes its output: beside the directory, which a run deletes. */
  private static Path log(Path data) {
    return data.resolveSibling(data.getFileName() + ".log");
  }

  private static void print(Side side, int run, Run result) {
    System.out.printf("footprint %s run %d: first start %.1f s, starts %s s; idle %.0f MiB (JVM RSS %.0f, "
            + "PostgreSQL %.0f); under load %.0f requests/s, peak %.0f MiB (JVM RSS %.0f, PostgreSQL %.0f, %d "
            + "PostgreSQL processes)%n", side.name(), run + 1, result.firstStartSeconds(),
        result.startSeconds().stream().map(s -> String.format("%.1f", s)).toList(), result.idle().totalMib(),
        result.idle().jvmRssMib(), result.idle().postgresMib(), result.load().perSecond(), result.peak().totalMib(),
        result.peak().jvmRssMib(), result.peak().postgresMib(), result.postgresProcessesAtPeak());
  }

  private static Bench.Result startFigure(Side defaults, Side ergonomic, List<Run> ours, List<Run> theirs) {
    List<Double> starts = ours.stream().flatMap(r -> r.startSeconds().stream()).toList();
    List<Double> baseline = theirs.stream().flatMap(r -> r.startSeconds().stream()).toList();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "seconds from spawning java -jar app/target/ordo-app.jar to GET /actuator/health "
        + "answering 200 UP, on a data directory an earlier start made (the embedded PostgreSQL's files, "
        + "migrations done, the products seeded, the app stopped with SIGTERM); " + RESTARTS + " starts per run");
    parameters.put("firstStartS", Bench.round(Bench.median(ours.stream().map(Run::firstStartSeconds).toList())));
    parameters.put("baselineFirstStartS",
        Bench.round(Bench.median(theirs.stream().map(Run::firstStartSeconds).toList())));
    parameters.put("firstStartIs", "the first start on an empty data directory: initdb, the databases created, "
        + "every migration");
    sides(parameters, defaults, ergonomic);
    return new Bench.Result(Bench.median(starts), Bench.median(baseline), "s", starts.size(), parameters, starts,
        baseline);
  }

  private static Bench.Result idleFigure(Side defaults, Side ergonomic, List<Run> ours, List<Run> theirs,
      Duration idle) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "PSS of the JVM and its embedded PostgreSQL's processes, summed, " + idle.toSeconds()
        + " s after the app answered healthy on a data directory with products (nothing asked of it meanwhile)");
    parts(parameters, "", ours.stream().map(Run::idle).toList());
    parts(parameters, "baseline", theirs.stream().map(Run::idle).toList());
    sides(parameters, defaults, ergonomic);
    return memoryResult(ours.stream().map(Run::idle).toList(), theirs.stream().map(Run::idle).toList(), parameters);
  }

  private static Bench.Result loadFigure(Side defaults, Side ergonomic, List<Run> ours, List<Run> theirs,
      int products, Duration warmUp, Duration measure) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "the peak of the same sum, sampled every " + SAMPLE_INTERVAL.toMillis() + " ms from the "
        + "idle sample through command_http's load on the same app: " + CLIENTS + " clients of POST "
        + "/api/v1/products/{id}/stock-adjustments {delta: -1} on " + products + " products, " + warmUp.toSeconds()
        + " s of warm-up then " + measure.toSeconds() + " s measured");
    parameters.put("concurrency", CLIENTS);
    parameters.put("products", products);
    parameters.put("target", "1024 MiB: a 1 GiB container");
    parameters.put("perSecond", Bench.round(Bench.median(ours.stream().map(r -> r.load().perSecond()).toList())));
    parameters.put("p99Ms", Bench.round(Bench.median(ours.stream().map(r -> r.load().p99Millis()).toList())));
    parameters.put("baselinePerSecond",
        Bench.round(Bench.median(theirs.stream().map(r -> r.load().perSecond()).toList())));
    parameters.put("baselineP99Ms",
        Bench.round(Bench.median(theirs.stream().map(r -> r.load().p99Millis()).toList())));
    parts(parameters, "", ours.stream().map(Run::peak).toList());
    parts(parameters, "baseline", theirs.stream().map(Run::peak).toList());
    parameters.put("postgresProcesses", ours.getLast().postgresProcessesAtPeak());
    parameters.put("postgresSettings", ours.getLast().postgresSettings());
    sides(parameters, defaults, ergonomic);
    return memoryResult(ours.stream().map(Run::peak).toList(), theirs.stream().map(Run::peak).toList(), parameters);
  }

  private static Bench.Result memoryResult(List<Memory> ours, List<Memory> theirs, Map<String, Object> parameters) {
    List<Double> totals = ours.stream().map(Memory::totalMib).toList();
    List<Double> baseline = theirs.stream().map(Memory::totalMib).toList();
    return new Bench.Result(Bench.median(totals), Bench.median(baseline), "MiB", totals.size(), parameters, totals,
        baseline);
  }

  /** The medians of the JVM's RSS, its PSS and PostgreSQL's part, under keys with {@code prefix}. */
  private static void parts(Map<String, Object> parameters, String prefix, List<Memory> samples) {
    parameters.put(key(prefix, "jvmRssMib"), median(samples, Memory::jvmRssMib));
    parameters.put(key(prefix, "jvmPssMib"), median(samples, Memory::jvmPssMib));
    parameters.put(key(prefix, "postgresMib"), median(samples, Memory::postgresMib));
  }

  private static double median(List<Memory> samples, ToDoubleFunction<Memory> part) {
    return Bench.round(Bench.median(samples.stream().map(part::applyAsDouble).toList()));
  }

  private static String key(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private static void sides(Map<String, Object> parameters, Side defaults, Side ergonomic) {
    parameters.put("jvmFlags", String.join(" ", defaults.flags()));
    parameters.put("jvm", defaults.jvm());
    parameters.put("baselineIs", "the same jar started with no JVM flags: the JVM's ergonomic defaults on this "
        + "machine (" + Runtime.getRuntime().availableProcessors() + " cores, all of its memory)");
    parameters.put("baselineJvm", ergonomic.jvm());
  }

  /** What {@code -XX:+PrintFlagsFinal} says of the settings that size memory, for these flags. */
  private static Map<String, String> finalFlags(List<String> flags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(flags);
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[2].equals("=") && JVM_SETTINGS.contains(fields[1])) {
        values.put(fields[1], shown(fields[1], fields[3]));
      }
    }
    return values;
  }

  /** Sizes in MiB (ThreadStackSize is in KiB already); a size of 2^64 - 1 is no limit. */
  private static String shown(String name, String value) {
    if (!name.endsWith("Size") || name.equals("ThreadStackSize") || !value.matches("\\d+")) {
      return value;
    }
    long bytes = Long.parseUnsignedLong(value);
    return bytes == -1 ? "unlimited" : bytes / (1024 * 1024) + " MiB";
  }

  /** The JVM this benchmark runs on: Java 21 or newer, as the app needs (the default java may be older). */
  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** An admin's token signed with the data directory's key, from the app's own {@code token} command. */
  private static String token(Path data) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "token", "--data-dir", data.toString(),
        "--user", "bench", "--role", "admin").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("ordo-app.jar token failed: " + output);
    }
    return output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow();
  }

  private static void delete(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** The app in a child process on a free loopback port; closing it stops it with SIGTERM, as an operator would. */
  private static final class App implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final Path data;
    private final int port;
    private final double startSeconds;
    private final Queue<HttpLoadClient> clients = new ConcurrentLinkedQueue<>();

    private App(Process process, Path data, int port, double startSeconds) {
      this.process = process;
      this.data = data;
      this.port = port;
      this.startSeconds = startSeconds;
    }

    /** Spawns the app on {@code data} and waits until its health answers UP. */
    static App start(Side side, Path data) throws Exception {
      int port = freePort();
      List<String> command = new ArrayList<>(List.of(java()));
      command.addAll(side.flags());
      command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "--server.port=" + port,
          "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log(data).toFile()));
      builder.environment().keySet().removeIf(name -> name.startsWith("ORDO_") || name.startsWith("JAVA_")
          || name.startsWith("JDK_"));
      builder.environment().put("ORDO_DATA_DIR", data.toString());
      long spawned = System.nanoTime();
      Process process = builder.start();
      return new App(process, data, port, healthy(process, port, spawned, data));
    }

    private static double healthy(Process process, int port, long spawned, Path data) throws Exception {
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      while (System.nanoTime() - spawned < HEALTHY_PATIENCE.toNanos()) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the app exited (" + process.exitValue() + ") before it was healthy; see "
              + log(data));
        }
        try {
          HttpResponse<String> response = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
            return (System.nanoTime() - spawned) / 1e9;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(50);
      }
      stop(process, data);
      throw new IllegalStateException("the app was not healthy within " + HEALTHY_PATIENCE);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }

    /** A store, a category and {@code count} products with plenty of stock, registered one by one; their ids. */
    List<String> seed(int count, String token) throws IOException {
      HttpLoadClient client = client(token);
      String store = id(client.post("/api/v1/stores", "{\"name\":\"Bench Mart\"}"));
      String category = id(client.post("/api/v1/categories", "{\"name\":\"Bench\"}"));
      List<String> products = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        products.add(id(client.post("/api/v1/products", "{\"storeId\":\"" + store + "\",\"categoryId\":\""
            + category + "\",\"name\":\"Seed " + i + "\",\"price\":10000,\"stockQuantity\":100000000}")));
      }
      return products;
    }

    /** command_http's load: stock adjustments of -1 on random products from {@link #CLIENTS} clients. */
    Load.Stats load(String token, List<String> products, Duration warmUp, Duration measure) throws Exception {
      ThreadLocal<HttpLoadClient> perThread = ThreadLocal.withInitial(() -> client(token));
      return Load.latencies(CLIENTS, warmUp, measure, () -> {
        String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
        long start = System.nanoTime();
        HttpLoadClient.Response response = perThread.get().post("/api/v1/products/" + product
            + "/stock-adjustments", "{\"delta\":-1,\"reason\":\"ORDER\"}");
        if (response.status() != 200) {
          throw new IllegalStateException("a stock adjustment answered " + response.status() + ": "
              + response.body());
        }
        return (System.nanoTime() - start) / 1_000;
      });
    }

    private HttpLoadClient client(String token) {
      HttpLoadClient client = new HttpLoadClient("127.0.0.1", port, token);
      clients.add(client);
      return client;
    }

    private static String id(HttpLoadClient.Response response) {
      if (response.status() != 201) {
        throw new IllegalStateException("seeding failed: " + response.status() + " " + response.body());
      }
      Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
      if (!id.find()) {
        throw new IllegalStateException("no id in " + response.body());
      }
      return id.group(1);
    }

    /** The footprint now: the JVM (and any child of it) and every process of its PostgreSQL. */
    Memory memory() {
      Set<Long> jvm = new LinkedHashSet<>();
      jvm.add(process.pid());
      process.descendants().forEach(p -> jvm.add(p.pid()));
      List<Long> postgres = postgresProcesses();
      jvm.removeAll(postgres);
      long[] jvmRollup = rollup(process.pid());
      double jvmPss = jvm.stream().mapToLong(pid -> rollup(pid)[1]).sum() / 1024.0;
      double postgresPss = postgres.stream().mapToLong(pid -> rollup(pid)[1]).sum() / 1024.0;
      return new Memory(jvmPss + postgresPss, jvmRollup[0] / 1024.0, jvmPss, postgresPss);
    }

    /** The postmaster of the data directory and its children (backends, checkpointer, walwriter, ...). */
    List<Long> postgresProcesses() {
      List<Long> pids = new ArrayList<>();
      postmaster().flatMap(ProcessHandle::of).ifPresent(postmaster -> {
        pids.add(postmaster.pid());
        postmaster.descendants().forEach(p -> pids.add(p.pid()));
      });
      return pids;
    }

    private Optional<Long> postmaster() {
      try {
        return Optional.of(Long.parseLong(postmasterPid().getFirst().trim()));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    private List<String> postmasterPid() throws IOException {
      return Files.readAllLines(data.resolve("postgres/postmaster.pid"));
    }

    /** Rss and Pss of a process in KiB, zeros for one that is gone. */
    private static long[] rollup(long pid) {
      long[] values = new long[2];
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
          if (line.startsWith("Rss:")) {
            values[0] = kib(line);
          } else if (line.startsWith("Pss:")) {
            values[1] = kib(line);
          }
        }
      } catch (NoSuchFileException e) {
        // ended between the listing and the reading
      } catch (IOException e) {
        throw new IllegalStateException("cannot read /proc/" + pid + "/smaps_rollup", e);
      }
      return values;
    }

    private static long kib(String line) {
      return Long.parseLong(line.replaceAll("\\D", ""));
    }

    /** The embedded server's memory settings, as SHOW reports them. */
    Map<String, String> postgresSettings() throws IOException, SQLException {
      String port = postmasterPid().get(3).trim();
      Map<String, String> settings = new LinkedHashMap<>();
      try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
          "postgres", null); Statement statement = connection.createStatement()) {
        for (String name : POSTGRES_SETTINGS) {
          try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
            rs.next();
            settings.put(name, rs.getString(1));
          }
        }
      }
      return settings;
    }

    @Override
    public void close() throws Exception {
      clients.forEach(HttpLoadClient::close);
      stop(process, data);
    }

    /**
     * SIGTERM, and the app stops its embedded PostgreSQL; should it not within a minute, both are
     * killed, so no run leaves a server behind.
     */
    private static void stop(Process process, Path data) throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        try {
          ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).getFirst()
              .trim())).ifPresent(ProcessHandle::destroy);
        } catch (NoSuchFileException e) {
          // stopped after all
        }
        throw new IllegalStateException("the app did not stop within a minute of SIGTERM");
      }
    }
  }
}
