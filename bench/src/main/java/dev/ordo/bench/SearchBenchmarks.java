package dev.ordo.bench;

import dev.ordo.spring.search.Searches;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * Korean product search over HTTP (issue 13 item 5, issue 16 item 5): the embedded Lucene index
 * ({@code product_search}) against the PostgreSQL search it falls back on, on the app as
 * {@link CommandBenchmarks} starts it with its indexes in a temporary directory. Relevance on an
 * app holding only the judged corpus, so the judgments hold; latency, command-to-searchable and
 * rebuilds on an app holding a large catalog made from the corpus.
 */
final class SearchBenchmarks implements AutoCloseable {

  static final List<String> FIGURES = List.of("search_p95_ms", "suggest_p95_ms", "search_visible_p99_ms",
      "search_rebuild", "search_relevance");

  /** Clients searching at once, and registering the catalog. */
  static final int CLIENTS = 8;
  static final int PAGE_SIZE = 20;
  static final int SEARCH_TARGET_MS = 50;
  static final int SUGGEST_TARGET_MS = 30;

  /** Tag changes per second for search_visible_p99_ms: a steady, modest rate, open loop. */
  static final int VISIBLE_PER_SECOND = 50;
  /** Threads sending them: each waits for its change to be seen before its next is due. */
  static final int VISIBLE_THREADS = 16;
  /** The pause between two polls for a changed tag: the figure's resolution. */
  static final Duration POLL = Duration.ofMillis(10);
  /** A change not found by then counts as not found. */
  static final Duration VISIBLE_PATIENCE = Duration.ofSeconds(30);

  private final String jdbcUrl;
  private final SearchCorpus corpus;
  private final List<String> prefixes;
  private final Path indexes;
  private final CommandBenchmarks app;
  private final Queue<HttpLoadClient> opened = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<HttpLoadClient> clients;
  /** Corpus keys (stores, categories, products) to ids. */
  private final Map<String, String> ids = new ConcurrentHashMap<>();
  /** The catalog's products in registration order. */
  private String[] products = new String[0];
  private String lastPosition;

  /** The engine answers are expected from; answers from the other are counted, not failed. */
  private volatile String engine = "lucene";
  private final AtomicLong turn = new AtomicLong();
  private final LongAdder otherEngine = new LongAdder();
  private final LongAdder empty = new LongAdder();
  /** The slowest answer of each query (engine and query to microseconds), over the measured runs. */
  private final Map<String, LongAccumulator> slowest = new ConcurrentHashMap<>();
  /** Every latency of the measured runs in microseconds by engine and group (a kind of query, a prefix's length). */
  private final Map<String, Queue<Long>> grouped = new ConcurrentHashMap<>();
  private final AtomicBoolean measuring = new AtomicBoolean();

  private SearchBenchmarks(String jdbcUrl, SearchCorpus corpus) throws IOException {
    this.jdbcUrl = jdbcUrl;
    this.corpus = corpus;
    this.prefixes = corpus.prefixes();
    this.indexes = Files.createTempDirectory("ordo-bench-search");
    this.app = new CommandBenchmarks(jdbcUrl, "--ordo.search.dir=" + indexes,
        "--management.endpoint.health.show-details=always", "--management.endpoint.health.show-components=always");
    this.clients = ThreadLocal.withInitial(() -> {
      var client = new HttpLoadClient("127.0.0.1", app.port(), app.token());
      opened.add(client);
      return client;
    });
  }

  static void run(BenchDatabase database, Bench.Settings settings, Map<String, Bench.Result> results)
      throws Exception {
    SearchCorpus corpus = SearchCorpus.load();
    if (settings.wants("search_relevance")) {
      try (var search = new SearchBenchmarks(database.createDatabase("bench_search_relevance"), corpus)) {
        search.registerPlaces();
        search.registerCorpus();
        results.put("search_relevance", search.relevance());
      }
      database.dropDatabase("bench_search_relevance");
    }
    if (FIGURES.stream().filter(f -> !f.equals("search_relevance")).noneMatch(settings::wants)) {
      return;
    }
    int count = settings.quick() ? 5_000 : 100_000;
    try (var search = new SearchBenchmarks(database.createDatabase("bench_search"), corpus)) {
      search.registerPlaces();
      long start = System.nanoTime();
      search.registerCatalog(count);
      double registered = (System.nanoTime() - start) / 1e9;
      search.awaitApplied();
      double indexed = (System.nanoTime() - start) / 1e9;
      System.out.printf("search: %d products registered over HTTP in %.1f s (%.0f/s, %d clients), searchable "
          + "(index and product_read) after %.1f s%n", count, registered, count / registered, CLIENTS, indexed);
      Map<String, Object> catalog = new LinkedHashMap<>();
      catalog.put("products", count);
      catalog.put("catalog", "the corpus's 20 stores and 35 categories, then " + count + " products made from the "
          + "corpus's 375 (each a corpus product's name with a model code, maybe a colour, a size and one or two "
          + "extra words; its store, category, tags and keywords; a price within 30 %), registered over HTTP by "
          + CLIENTS + " clients");
      catalog.put("registeredS", Bench.round(registered));
      catalog.put("searchableS", Bench.round(indexed));
      if (settings.wants("search_p95_ms") || settings.wants("suggest_p95_ms")
          || settings.wants("search_visible_p99_ms")) {
        // the server's search paths compiled on both engines before anything is measured
        Duration compile = settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(15);
        search.usePostgres();
        Load.latencies(CLIENTS, Duration.ZERO, compile.dividedBy(3), search::search);
        Load.latencies(CLIENTS, Duration.ZERO, compile.dividedBy(3), search::suggest);
        search.useIndex();
        Load.latencies(CLIENTS, Duration.ZERO, compile, search::search);
        Load.latencies(CLIENTS, Duration.ZERO, compile, search::suggest);
      }
      if (settings.wants("search_p95_ms")) {
        results.put("search_p95_ms", search.latencies(settings, "search_p95_ms", search::search, SEARCH_TARGET_MS,
            catalog, "GET /api/v1/products/search?q={query}&size=" + PAGE_SIZE + ", the corpus's "
                + corpus.queries().size() + " queries in turn"));
      }
      if (settings.wants("suggest_p95_ms")) {
        results.put("suggest_p95_ms", search.latencies(settings, "suggest_p95_ms", search::suggest,
            SUGGEST_TARGET_MS, catalog, "GET /api/v1/products/suggest?q={prefix} (10 suggestions), the first 1-3 "
                + "letters (syllables) of the corpus's queries in turn: " + search.prefixes.size() + " prefixes"));
      }
      if (settings.wants("search_visible_p99_ms")) {
        results.put("search_visible_p99_ms", search.visible(settings, catalog));
      }
      if (settings.wants("search_rebuild")) {
        results.put("search_rebuild", search.rebuilds(settings, count));
      }
    }
    database.dropDatabase("bench_search");
  }

  /** The corpus's stores and categories (parents first). */
  private void registerPlaces() throws Exception {
    HttpLoadClient client = clients.get();
    for (SearchCorpus.Store store : corpus.stores()) {
      ids.put(store.key(), created(client.post("/api/v1/stores",
          SearchCorpus.JSON.writeValueAsString(Map.of("name", store.name())))));
    }
    for (SearchCorpus.Category category : corpus.categories()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", category.name());
      if (category.parent() != null) {
        body.put("parentId", ids.get(category.parent()));
      }
      ids.put(category.key(), created(client.post("/api/v1/categories", SearchCorpus.JSON.writeValueAsString(body))));
    }
  }

  /** The corpus's 375 products, one after the other. */
  private void registerCorpus() throws Exception {
    HttpLoadClient client = clients.get();
    for (SearchCorpus.Product product : corpus.products()) {
      HttpLoadClient.Response response = client.post("/api/v1/products", SearchCorpus.registration(product, ids));
      ids.put(product.key(), created(response));
      lastPosition = response.header("ordo-position");
    }
  }

  /**
   * {@code count} products made from the corpus's, registered by {@link #CLIENTS} clients at once;
   * the last one alone after every other was acknowledged, so that once its position is applied
   * all of them are.
   */
  private void registerCatalog(int count) throws Exception {
    products = new String[count];
    ExecutorService writers = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < CLIENTS; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          HttpLoadClient client = clients.get();
          for (int i = writer; i < count - 1; i += CLIENTS) {
            products[i] = created(client.post("/api/v1/products",
                SearchCorpus.registration(corpus.variant(i), ids)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdown();
    }
    HttpLoadClient.Response last = clients.get().post("/api/v1/products",
        SearchCorpus.registration(corpus.variant(count - 1), ids));
    products[count - 1] = created(last);
    lastPosition = last.header("ordo-position");
  }

  /** Waits until the serving index and product_read have both applied the last registration. */
  private void awaitApplied() throws Exception {
    HttpLoadClient client = clients.get();
    String search = "/api/v1/products/search?size=1&minPosition=" + lastPosition + "&q="
        + encode(corpus.queries().getFirst().q());
    String detail = "/api/v1/products/" + products[products.length - 1] + "?minPosition=" + lastPosition;
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (true) {
      HttpLoadClient.Response searched = client.get(search); // each waits up to 5 s for the position
      HttpLoadClient.Response read = client.get(detail);
      if ("lucene".equals(searched.header("ordo-search-engine")) && "true".equals(searched.header("ordo-consistent"))
          && "true".equals(read.header("ordo-consistent"))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the index or product_read did not reach position " + lastPosition
            + " in 30 minutes: " + searched.status() + " " + searched.headers());
      }
      Thread.sleep(100);
    }
  }

  /** The PostgreSQL search answers: the index closed, as while it cannot answer. */
  private void usePostgres() {
    app.bean(Searches.class).stop();
    engine = "postgres";
  }

  /** The index opened again; back once a search is answered from it. */
  private void useIndex() throws Exception {
    app.bean(Searches.class).start();
    engine = "lucene";
    HttpLoadClient client = clients.get();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!"lucene".equals(client.get("/api/v1/products/search?size=1&q=" + encode(corpus.queries().getFirst().q()))
        .header("ordo-search-engine"))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the search index did not answer again within 5 minutes of opening");
      }
      Thread.sleep(20);
    }
  }

  /** One search, the corpus's queries in turn; its latency in microseconds. */
  private long search() throws Exception {
    var queries = corpus.queries();
    SearchCorpus.Query query = queries.get((int) (turn.getAndIncrement() % queries.size()));
    return timed(query.kind(), query.q(), "/api/v1/products/search?size=" + PAGE_SIZE + "&q=" + encode(query.q()),
        "\"items\":[]");
  }

  /** One suggestion request, the corpus's prefixes in turn; its latency in microseconds. */
  private long suggest() throws Exception {
    String q = prefixes.get((int) (turn.getAndIncrement() % prefixes.size()));
    int letters = q.codePointCount(0, q.length());
    return timed(letters + (letters == 1 ? " letter" : " letters"), q, "/api/v1/products/suggest?q=" + encode(q),
        "\"suggestions\":[]");
  }

  private long timed(String group, String q, String path, String nothing) throws Exception {
    HttpLoadClient client = clients.get();
    long start = System.nanoTime();
    HttpLoadClient.Response response = client.get(path);
    long micros = (System.nanoTime() - start) / 1_000;
    if (response.status() != 200) {
      throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
    }
    if (measuring.get()) {
      if (!engine.equals(response.header("ordo-search-engine"))) {
        otherEngine.increment();
      }
      if (response.body().contains(nothing)) {
        empty.increment();
      }
      slowest.computeIfAbsent(engine + " " + q, k -> new LongAccumulator(Math::max, 0)).accumulate(micros);
      grouped.computeIfAbsent(engine + " " + group, k -> new ConcurrentLinkedQueue<>()).add(micros);
    }
    return micros;
  }

  /**
   * The same load on the PostgreSQL search (the index closed) and on the index, alternating, the
   * baseline first: p95 latency of each, the rest of the percentiles and the rates beside it.
   */
  private Bench.Result latencies(Bench.Settings settings, String name, Load.Request request, int targetMs,
      Map<String, Object> catalog, String what) throws Exception {
    Map<String, List<Double>> figures = new TreeMap<>();
    long[] others = new long[2];
    long[] empties = new long[2];
    slowest.clear();
    grouped.clear();
    for (int run = 0; run < settings.runs(); run++) {
      for (String side : List.of("postgres", "lucene")) {
        if (side.equals("postgres")) {
          usePostgres();
        } else {
          useIndex();
        }
        Load.latencies(CLIENTS, Duration.ZERO, settings.warmUp(), request);
        otherEngine.reset();
        empty.reset();
        measuring.set(true);
        Load.Stats stats = Load.latencies(CLIENTS, Duration.ZERO, settings.measure(), request);
        measuring.set(false);
        int at = side.equals("postgres") ? 0 : 1;
        others[at] += otherEngine.sum();
        empties[at] += empty.sum();
        String prefix = side.equals("postgres") ? "baseline" : "";
        add(figures, prefix, "P50Ms", stats.p50Millis());
        add(figures, prefix, "P95Ms", stats.p95Millis());
        add(figures, prefix, "P99Ms", stats.p99Millis());
        add(figures, prefix, "PerSecond", stats.perSecond());
        System.out.printf("%s run %d, %s: %.0f requests/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; answered by "
            + "the other engine %d, empty %d%n", name, run + 1, side, stats.perSecond(), stats.p50Millis(),
            stats.p95Millis(), stats.p99Millis(), otherEngine.sum(), empty.sum());
      }
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("targetMs", targetMs);
    parameters.put("concurrency", CLIENTS);
    parameters.putAll(catalog);
    parameters.put("request", what);
    parameters.put("client", "HTTP/1.1 over one keep-alive socket per client thread, closed loop, in the benchmark "
        + "process");
    for (String figure : List.of("P50Ms", "P95Ms", "P99Ms", "PerSecond")) {
      for (String prefix : List.of("", "baseline")) {
        String key = prefix.isEmpty() ? Character.toLowerCase(figure.charAt(0)) + figure.substring(1)
            : prefix + figure;
        parameters.put(key, Bench.round(Bench.median(figures.get(prefix + figure))));
      }
    }
    parameters.put("answeredByTheOtherEngine", others[1]);
    parameters.put("baselineAnsweredByTheOtherEngine", others[0]);
    parameters.put("emptyAnswers", empties[1]);
    parameters.put("baselineEmptyAnswers", empties[0]);
    parameters.put("byGroup", byGroup("lucene"));
    parameters.put("baselineByGroup", byGroup("postgres"));
    parameters.put("slowest", slowestAnswers("lucene"));
    parameters.put("baselineSlowest", slowestAnswers("postgres"));
    parameters.put("what", "latency of each request over HTTP (Ordo-Search-Engine: lucene), its p95 against the "
        + "target, over the measured windows (each after a warm-up of the same load); answers from the other engine "
        + "and empty ones counted over them; p50 and p95 by kind of query (by prefix length for suggest) over all "
        + "runs, and the slowest single answer of the five slowest queries");
    parameters.put("baselineIs", "the same load on the PostgreSQL " + (name.startsWith("suggest")
        ? "suggestions (product_read names by ILIKE prefix or trigram word similarity, and searched terms)"
        : "search (product_read: full text with prefixes, trigram word similarity, ILIKE; facets by SQL)")
        + ", forced by stopping the Searches bean as while the index cannot answer (Ordo-Search-Engine: postgres)");
    List<Double> ordo = figures.get("P95Ms");
    List<Double> baseline = figures.get("baselineP95Ms");
    return new Bench.Result(Bench.median(ordo), Bench.median(baseline), "ms", settings.runs(), parameters, ordo,
        baseline);
  }

  private static void add(Map<String, List<Double>> figures, String prefix, String figure, double value) {
    figures.computeIfAbsent(prefix + figure, k -> new ArrayList<>()).add(value);
  }

  /** p50 and p95 of the engine's answers by kind of query (or prefix length), over every measured run. */
  private Map<String, Map<String, Object>> byGroup(String side) {
    Map<String, Map<String, Object>> groups = new TreeMap<>();
    grouped.forEach((key, latencies) -> {
      if (key.startsWith(side + " ")) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requests", sorted.length);
        figures.put("p50Ms", Bench.round(millis(sorted, 0.50)));
        figures.put("p95Ms", Bench.round(millis(sorted, 0.95)));
        groups.put(key.substring(side.length() + 1), figures);
      }
    });
    return groups;
  }

  /** The five queries with the slowest single answers from the engine, in milliseconds. */
  private Map<String, Double> slowestAnswers(String side) {
    Map<String, Double> top = new LinkedHashMap<>();
    slowest.entrySet().stream().filter(e -> e.getKey().startsWith(side + " "))
        .sorted(Comparator.comparingLong((Map.Entry<String, LongAccumulator> e) -> e.getValue().get()).reversed())
        .limit(5)
        .forEach(e -> top.put(e.getKey().substring(side.length() + 1), Bench.round(e.getValue().get() / 1000.0)));
    return top;
  }

  /**
   * One tag change, watched through the search or through product_read: its acknowledgement's
   * latency, the time from the acknowledgement until it was seen (0: not within the patience), and
   * the requests that took.
   */
  private record Seen(boolean searched, long ackMicros, long micros, int polls) {}

  /**
   * Tag changes at a steady {@link #VISIBLE_PER_SECOND}/s (open loop), each a new tag on the next
   * product of the catalog; every other change is then looked for by searching for its tag until
   * the product is among the hits, the rest by reading the product until its detail (product_read)
   * shows the tag.
   */
  private Bench.Result visible(Bench.Settings settings, Map<String, Object> catalog) throws Exception {
    double missP50 = unknownTagSearch();
    AtomicLong next = new AtomicLong();
    List<Double> searchP50s = new ArrayList<>();
    List<Double> searchP99s = new ArrayList<>();
    List<Double> readP50s = new ArrayList<>();
    List<Double> readP99s = new ArrayList<>();
    List<Double> ackP99s = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    long notFound = 0;
    long others = 0;
    long searchPolls = 0;
    long searches = 0;
    for (int run = 0; run < settings.runs(); run++) {
      Queue<Seen> discarded = new ConcurrentLinkedQueue<>();
      Load.paced(VISIBLE_THREADS, VISIBLE_PER_SECOND, Duration.ZERO, settings.warmUp(),
          () -> changeTag(next, discarded));
      Queue<Seen> seen = new ConcurrentLinkedQueue<>();
      otherEngine.reset();
      Load.Stats stats = Load.paced(VISIBLE_THREADS, VISIBLE_PER_SECOND, Duration.ZERO, settings.measure(),
          () -> changeTag(next, seen));
      others += otherEngine.sum();
      long[] searched = seen.stream().filter(s -> s.searched() && s.micros() > 0).mapToLong(Seen::micros).sorted()
          .toArray();
      long[] read = seen.stream().filter(s -> !s.searched() && s.micros() > 0).mapToLong(Seen::micros).sorted()
          .toArray();
      long[] acks = seen.stream().mapToLong(Seen::ackMicros).sorted().toArray();
      long missing = seen.stream().filter(s -> s.micros() == 0).count();
      notFound += missing;
      searchPolls += seen.stream().filter(Seen::searched).mapToLong(Seen::polls).sum();
      searches += seen.stream().filter(Seen::searched).count();
      searchP50s.add(millis(searched, 0.50));
      searchP99s.add(millis(searched, 0.99));
      readP50s.add(millis(read, 0.50));
      readP99s.add(millis(read, 0.99));
      ackP99s.add(millis(acks, 0.99));
      rates.add(stats.perSecond());
      System.out.printf("search_visible_p99_ms run %d: %d tag changes (%.0f/s): searchable p50 %.1f ms, p99 %.1f "
          + "ms (%d); in product_read p50 %.1f ms, p99 %.1f ms (%d); acknowledged p99 %.1f ms; %d not seen within "
          + "%d s, %d searches answered by PostgreSQL%n", run + 1, seen.size(), stats.perSecond(),
          searchP50s.getLast(), searchP99s.getLast(), searched.length, readP50s.getLast(), readP99s.getLast(),
          read.length, ackP99s.getLast(), missing, VISIBLE_PATIENCE.toSeconds(), otherEngine.sum());
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("offeredPerSecond", VISIBLE_PER_SECOND);
    parameters.put("achievedPerSecond", Bench.round(Bench.median(rates)));
    parameters.putAll(catalog);
    parameters.put("request", "PATCH /api/v1/products/{id} {\"tags\": [\"t<11 random letters>\"]} on the next "
        + "product of the catalog; for every other change then GET /api/v1/products/search?q=<tag>&size="
        + PAGE_SIZE + "&minPosition=<its Ordo-Position> until the product is among the hits, for the others GET "
        + "/api/v1/products/{id}?minPosition=<its Ordo-Position> until the detail has the tag; " + POLL.toMillis()
        + " ms between two requests that do not find it");
    parameters.put("what", "acknowledgement of the PATCH to the search answer (Ordo-Search-Engine: lucene) that has "
        + "the product among its hits; open loop from " + VISIBLE_THREADS + " threads at a steady "
        + VISIBLE_PER_SECOND + "/s. A request carries the change's position, so the app holds it until the index "
        + "has applied that (up to 5 s, in 2 ms steps) instead of the client polling: a search for a tag the index "
        + "does not have yet finds nothing and runs the typo-corrected search too (unknownTagSearchP50Ms, one "
        + "after the other on the idle app), and polling every 10 ms for 50 changes a second made the figure the "
        + "cost of those searches (p50 4.9 s in a trial); whether the first answer already had the product is in "
        + "searchPollsPerChange (1.0: always)");
    parameters.put("p50Ms", Bench.round(Bench.median(searchP50s)));
    parameters.put("baselineP50Ms", Bench.round(Bench.median(readP50s)));
    parameters.put("ackP99Ms", Bench.round(Bench.median(ackP99s)));
    parameters.put("notSeen", notFound);
    parameters.put("answeredByPostgres", others);
    parameters.put("searchPollsPerChange", searches == 0 ? null : Math.round(100.0 * searchPolls / searches) / 100.0);
    parameters.put("unknownTagSearchP50Ms", Bench.round(missP50));
    parameters.put("baselineIs", "the other half of the same changes, acknowledgement to the GET "
        + "/api/v1/products/{id} (product_read, the read model the search's items are filled from) that shows the "
        + "tag");
    return new Bench.Result(Bench.median(searchP99s), Bench.median(readP99s), "ms", settings.runs(), parameters,
        searchP99s, readP99s);
  }

  /** The median latency of 20 searches, one after the other, for tags no product has. */
  private double unknownTagSearch() throws Exception {
    HttpLoadClient client = clients.get();
    long[] micros = new long[20];
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      client.get("/api/v1/products/search?size=" + PAGE_SIZE + "&q=" + newTag());
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    return millis(micros, 0.50);
  }

  private static String newTag() {
    StringBuilder tag = new StringBuilder("t");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 11; i++) {
      tag.append((char) ('a' + random.nextInt(26)));
    }
    return tag.toString();
  }

  private long changeTag(AtomicLong next, Queue<Seen> seen) throws Exception {
    long n = next.getAndIncrement();
    String product = products[(int) (n % products.length)];
    boolean searched = n % 2 == 0;
    String tag = newTag();
    HttpLoadClient client = clients.get();
    long sent = System.nanoTime();
    HttpLoadClient.Response answer = client.patch("/api/v1/products/" + product, "{\"tags\":[\"" + tag + "\"]}");
    long acked = System.nanoTime();
    if (answer.status() != 200) {
      throw new IllegalStateException("PATCH answered " + answer.status() + ": " + answer.body());
    }
    String position = answer.header("ordo-position");
    String path = searched
        ? "/api/v1/products/search?size=" + PAGE_SIZE + "&minPosition=" + position + "&q=" + tag
        : "/api/v1/products/" + product + "?minPosition=" + position;
    String expected = searched ? "\"id\":\"" + product + "\"" : "\"" + tag + "\"";
    long at = 0;
    int polls = 0;
    long deadline = acked + VISIBLE_PATIENCE.toNanos();
    while (at == 0 && System.nanoTime() < deadline) {
      polls++;
      HttpLoadClient.Response response = client.get(path);
      if (response.status() != 200) {
        throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
      }
      if (searched && !"lucene".equals(response.header("ordo-search-engine"))) {
        otherEngine.increment();
      }
      if (response.body().contains(expected)) {
        at = System.nanoTime();
      } else {
        Thread.sleep(POLL);
      }
    }
    seen.add(new Seen(searched, (acked - sent) / 1_000, at == 0 ? 0 : (at - acked) / 1_000, polls));
    return (acked - sent) / 1_000;
  }

  private static double millis(long[] sortedMicros, double p) {
    if (sortedMicros.length == 0) {
      return 0;
    }
    return sortedMicros[Math.min(sortedMicros.length - 1, (int) Math.ceil(p * sortedMicros.length) - 1)] / 1000.0;
  }

  /**
   * product_search rebuilt over the whole log, beside product_read rebuilt over the same log,
   * alternating, the baseline first: events in the log over the time from the rebuild request until
   * the new generation serves.
   */
  private Bench.Result rebuilds(Bench.Settings settings, int count) throws Exception {
    int runs = Math.min(settings.runs(), 3);
    long events = events();
    List<Double> index = new ArrayList<>();
    List<Double> readModel = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      readModel.add(events / rebuildReadModel());
      index.add(events / rebuildIndex());
      System.out.printf("search_rebuild run %d over %d events: product_search %.0f events/s, product_read %.0f "
          + "events/s%n", run + 1, events, index.getLast(), readModel.getLast());
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("events", events);
    parameters.put("products", count);
    parameters.put("what", "POST /api/v1/projections/product_search/rebuild, then /actuator/health polled every "
        + "20 ms until components.search.details.product_search.serving is the new generation: the events in the "
        + "log over that time (a new Lucene generation built beside the serving one from position 0: read the log, "
        + "Korean analysis, a Lucene commit per batch of 1,000)");
    parameters.put("baselineIs", "POST /api/v1/projections/product_read/rebuild on the same app and log, then GET "
        + "/api/v1/projections/product_read polled every 20 ms until active.generation is the new one");
    return new Bench.Result(Bench.median(index), Bench.median(readModel), "events/s", runs, parameters, index,
        readModel);
  }

  /** Events in the app's log. */
  private long events() throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Seconds from the rebuild request until its generation serves searches. */
  private double rebuildIndex() throws Exception {
    HttpLoadClient client = clients.get();
    long start = System.nanoTime();
    HttpLoadClient.Response rebuild = client.post("/api/v1/projections/product_search/rebuild", "{}");
    if (rebuild.status() != 202) {
      throw new IllegalStateException("product_search rebuild answered " + rebuild.status() + ": " + rebuild.body());
    }
    int generation = SearchCorpus.JSON.readTree(rebuild.body()).get("generation").asInt();
    await("product_search generation " + generation, () -> SearchCorpus.JSON.readTree(client.get("/actuator/health")
        .body()).path("components").path("search").path("details").path("product_search").path("serving")
        .asInt(-1) == generation);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds from the rebuild request until its generation is product_read's active one. */
  private double rebuildReadModel() throws Exception {
    HttpLoadClient client = clients.get();
    long start = System.nanoTime();
    HttpLoadClient.Response rebuild = client.post("/api/v1/projections/product_read/rebuild", "{}");
    if (rebuild.status() != 202) {
      throw new IllegalStateException("product_read rebuild answered " + rebuild.status() + ": " + rebuild.body());
    }
    int generation = SearchCorpus.JSON.readTree(rebuild.body()).get("generation").asInt();
    await("product_read generation " + generation, () -> SearchCorpus.JSON.readTree(
        client.getAuthorized("/api/v1/projections/product_read").body()).path("active").path("generation").asInt(-1)
        == generation);
    return (System.nanoTime() - start) / 1e9;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " not reached in 30 minutes");
      }
      Thread.sleep(20);
    }
  }

  /**
   * Precision@10 and recall of the index and of the PostgreSQL search over the judged corpus, as
   * app's SearchRelevanceIntegrationTests scores them: Precision@10 is the relevant share of the
   * first min(10, relevant) hits, recall the relevant share found among the first 100.
   */
  private Bench.Result relevance() throws Exception {
    Map<String, double[]> lucene = score();
    usePostgres();
    Map<String, double[]> postgres;
    try {
      postgres = score();
    } finally {
      useIndex();
    }
    double[] all = lucene.get("all");
    double[] base = postgres.get("all");
    Map<String, Object> byKind = new TreeMap<>();
    for (String kind : lucene.keySet()) {
      if (kind.equals("all")) {
        continue;
      }
      double[] l = lucene.get(kind);
      double[] p = postgres.get(kind);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("queries", (int) l[2]);
      figures.put("precisionAt10", three(l[0] / l[2]));
      figures.put("recall", three(l[1] / l[2]));
      figures.put("baselinePrecisionAt10", three(p[0] / p[2]));
      figures.put("baselineRecall", three(p[1] / p[2]));
      byKind.put(kind, figures);
    }
    System.out.printf("search_relevance: Precision@10 %.3f (recall %.3f) from the index, %.3f (recall %.3f) from "
        + "PostgreSQL%n", all[0] / all[2], all[1] / all[2], base[0] / base[2], base[1] / base[2]);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("products", corpus.products().size());
    parameters.put("queries", corpus.queries().size());
    parameters.put("recall", three(all[1] / all[2]));
    parameters.put("baselineRecall", three(base[1] / base[2]));
    parameters.put("byKind", byKind);
    parameters.put("what", "the judged corpus (app/src/test/resources/search/corpus.json) alone on an app of its "
        + "own, registered over HTTP; each query asked with size=100 once the index had applied the last "
        + "registration; Precision@10: the relevant share of the first min(10, relevant) hits; recall: the relevant "
        + "share found among the 100, both averaged over the queries");
    parameters.put("baselineIs", "the PostgreSQL search on the same app and data (the Searches bean stopped, "
        + "Ordo-Search-Engine: postgres)");
    double ordo = three(all[0] / all[2]);
    double baseline = three(base[0] / base[2]);
    return new Bench.Result(ordo, baseline, "Precision@10", 1, parameters, List.of(ordo), List.of(baseline));
  }

  /** Per kind of query and for all ("all"): the sums of Precision@10 and of recall, and the number of queries. */
  private Map<String, double[]> score() throws Exception {
    HttpLoadClient client = clients.get();
    Map<String, double[]> scores = new HashMap<>();
    for (SearchCorpus.Query query : corpus.queries()) {
      HttpLoadClient.Response response = client.get("/api/v1/products/search?size=100&minPosition=" + lastPosition
          + "&q=" + encode(query.q()));
      if (response.status() != 200 || !engine.equals(response.header("ordo-search-engine"))) {
        throw new IllegalStateException("search_relevance: " + query.q() + " answered " + response.status() + " by "
            + response.header("ordo-search-engine") + " (" + engine + " expected): " + response.body());
      }
      Set<String> relevant = new HashSet<>();
      query.relevant().forEach(key -> relevant.add(ids.get(key)));
      List<String> hits = new ArrayList<>();
      SearchCorpus.JSON.readTree(response.body()).get("items").forEach(item -> hits.add(item.get("id").asString()));
      int judged = Math.min(10, relevant.size());
      double precision = (double) hits.stream().limit(judged).filter(relevant::contains).count() / judged;
      double recall = (double) hits.stream().filter(relevant::contains).count() / relevant.size();
      for (String kind : List.of("all", query.kind())) {
        double[] sums = scores.computeIfAbsent(kind, k -> new double[3]);
        sums[0] += precision;
        sums[1] += recall;
        sums[2]++;
      }
    }
    return scores;
  }

  private static double three(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String created(HttpLoadClient.Response response) {
    if (response.status() != 201) {
      throw new IllegalStateException("registration answered " + response.status() + ": " + response.body());
    }
    JsonNode body = SearchCorpus.JSON.readTree(response.body());
    return body.get("id").asString();
  }

  @Override
  public void close() throws IOException {
    opened.forEach(HttpLoadClient::close);
    app.close();
    try (var files = Files.walk(indexes)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
