package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.ordo.test.TestPostgres;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules under {@code deploy/observability} name only
 * metrics the running application exports at {@code /actuator/prometheus}: a renamed meter, or a
 * query written against a metric nobody made, would otherwise show as an empty panel or an alert
 * that can never fire. The gateway's own meters ({@code ordo_gateway_*}) are checked by the
 * gateway's ObservabilityTests, against the gateway.
 */
class ObservabilityFilesIntegrationTests {

  private static final Path OBSERVABILITY = Path.of("..").toAbsolutePath().normalize().resolve("deploy/observability");
  private static final Path DASHBOARD = OBSERVABILITY.resolve("grafana/ordo-dashboard.json");
  private static final Path RULES = OBSERVABILITY.resolve("prometheus/ordo-alerts.yml");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Series Prometheus writes itself for every target it scrapes. */
  private static final Set<String> SCRAPE_SERIES = Set.of("up");
  private static final String GATEWAY_METRICS = "ordo_gateway_";
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void everyMetricTheDashboardAndTheRulesNameIsExported() throws Exception {
    List<String> queries = new ArrayList<>(dashboardQueries());
    queries.addAll(ruleQueries());
    // a breaker and a fallback to a write service, as a read-model service has: their meters exist from the start
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.fallback.services.order=http://127.0.0.1:9")) {
      // a command, a query waiting for the projections to apply it: the meters made on first use exist
      var created = app.send("POST", "/api/v1/stores", "{\"name\":\"Metrics Mart\"}");
      String store = created.createdId();
      var read = app.send("GET", "/api/v1/stores/" + store, null, "Ordo-Min-Position", created.header("ordo-position"));
      assertThat(read.status()).as(read.body()).isEqualTo(200);
      assertThat(read.header("ordo-consistent")).isEqualTo("true");
      var refused = app.send("POST", "/api/v1/stores/" + UUID.randomUUID() + "/rename", "{\"name\":\"Nowhere\"}");
      assertThat(refused.status()).as(refused.body()).isEqualTo(404);

      // the GC meters are made at the first collection, which a long-running app has had
      System.gc();

      RunningApp.eventually(Duration.ofSeconds(10), () -> {
        var scrape = app.send("GET", "/actuator/prometheus", null, "Authorization", "");
        assertThat(scrape.status()).as("/actuator/prometheus is public").isEqualTo(200);
        assertThat(scrape.body()).as("commands by type and outcome")
            .contains("ordo_commands_seconds_count{outcome=\"succeeded\",type=\"RegisterStore\"} 1")
            .contains("ordo_commands_seconds_count{outcome=\"not-found\",type=\"RenameStore\"} 1");
        assertThat(missing(queries, exportedSeries(scrape.body())))
            .as("metrics the dashboard or the rules name that the app does not export").isEmpty();
      });
    }
  }

  /** The check above can fail: a name nobody exports is reported, PromQL's own words are not. */
  @Test
  void aMetricNobodyExportsIsReported() {
    Set<String> exported = Set.of("ordo_commands_seconds_count", "ordo_commands_seconds_bucket");
    List<String> queries = List.of(
        "histogram_quantile(0.99, sum by (type, le) (rate(ordo_commands_seconds_bucket{job=~\"$job\"}[$__rate_interval])))",
        "sum without (instance) (rate(ordo_commands_seconds_count[5m] offset 1h)) > 0 and on (job) up == 0",
        "rate(ordo_made_up_total{outcome=\"rule-broken\"}[5m]) > 1e3 or ordo_also_made_up",
        "label_values(ordo_made_up_info{job=~\"$job\"}, instance)");

    assertThat(missing(queries, exported))
        .containsExactly("ordo_also_made_up", "ordo_made_up_info", "ordo_made_up_total");
  }

  @Test
  void theDashboardIsAGrafanaDashboardToImport() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

    assertThat(dashboard.get("title").asString()).isNotBlank();
    assertThat(dashboard.get("uid").asString()).isNotBlank();
    JsonNode input = dashboard.get("__inputs").get(0);
    assertThat(input.get("name").asString()).isEqualTo("DS_PROMETHEUS");
    assertThat(input.get("type").asString()).isEqualTo("datasource");
    assertThat(input.get("pluginId").asString()).isEqualTo("prometheus");
    Set<Integer> ids = new HashSet<>();
    assertSoftly(softly -> {
      for (JsonNode panel : dashboard.get("panels")) {
        String title = panel.get("title").asString();
        softly.assertThat(ids.add(panel.get("id").asInt())).as("%s: its id is unique", title).isTrue();
        softly.assertThat(panel.has("gridPos")).as("%s: gridPos", title).isTrue();
        if (panel.get("type").asString().equals("row")) {
          continue;
        }
        softly.assertThat(panel.get("datasource").get("uid").asString()).as("%s: datasource", title)
            .isEqualTo("${DS_PROMETHEUS}");
        softly.assertThat(panel.get("targets")).as("%s: targets", title).isNotEmpty();
        for (JsonNode target : panel.get("targets")) {
          softly.assertThat(target.path("expr").isString() ? target.path("expr").asString() : "").as("%s: a target's expr", title).isNotBlank();
        }
      }
    });
    assertThat(dashboardQueries()).as("queries").hasSizeGreaterThan(20);
  }

  @Test
  void everyAlertHasAnExpressionADurationASeverityAndASummary() throws IOException {
    List<Map<String, Object>> alerts = alerts();

    assertThat(alerts).as("alerts").hasSizeGreaterThanOrEqualTo(10);
    assertSoftly(softly -> {
      Set<String> names = new HashSet<>();
      for (Map<String, Object> alert : alerts) {
        Object name = alert.get("alert");
        softly.assertThat(name).as("an alert's name").isInstanceOf(String.class);
        softly.assertThat(names.add(String.valueOf(name))).as("%s: one alert of that name", name).isTrue();
        softly.assertThat(alert.get("expr")).as("%s: expr", name).isInstanceOf(String.class);
        softly.assertThat(String.valueOf(alert.get("for"))).as("%s: for", name).matches("\\d+[smh]");
        softly.assertThat(map(alert.get("labels")).get("severity")).as("%s: labels.severity", name).isIn(SEVERITIES);
        softly.assertThat(map(alert.get("annotations")).get("summary")).as("%s: annotations.summary", name)
            .isInstanceOf(String.class);
      }
    });
  }

  /** promtool (Debian's prometheus package) parses the rules and every query of the dashboard, when installed. */
  @Test
  void promtoolAcceptsTheRulesAndTheDashboardsQueries(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "promtool"))),
        "promtool is not installed (apt-get install prometheus)");

    assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");

    // the dashboard's queries as recording rules, Grafana's variables given values
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<String> queries = dashboardQueries();
    for (int i = 0; i < queries.size(); i++) {
      String query = promql(queries.get(i)).replace("$__rate_interval", "1m").replace("$job", ".*").replace("$instance", ".*");
      rules.append("      - record: dashboard:query_").append(i).append("\n        expr: ")
          .append(JSON.writeValueAsString(query)).append('\n');
    }
    Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);
    assertThat(promtool("check", "rules", file.toString())).contains("SUCCESS");
  }

  /** The metric names {@code queries} use that {@code exported} does not hold, sorted. */
  static Set<String> missing(List<String> queries, Set<String> exported) {
    return queries.stream().flatMap(query -> metricNames(query).stream())
        .filter(name -> !SCRAPE_SERIES.contains(name) && !name.startsWith(GATEWAY_METRICS) && !exported.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LIST = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  /** An identifier not part of a number, duration or variable, and not a function's name (possessive: no backing off). */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][\\w:]*+(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");

  /**
   * The metric names of a PromQL expression (or of Grafana's {@code label_values(selector, label)}):
   * identifiers used bare or before label matchers, once strings, label matchers, ranges, label
   * lists, functions and keywords are taken out.
   */
  static Set<String> metricNames(String query) {
    String expr = STRING.matcher(promql(query)).replaceAll("\"\"");
    expr = MATCHERS.matcher(expr).replaceAll(" ");
    expr = RANGE.matcher(expr).replaceAll(" ");
    expr = LABEL_LIST.matcher(expr).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(expr);
    while (identifier.find()) {
      if (!KEYWORDS.contains(identifier.group().toLowerCase())) {
        names.add(identifier.group());
      }
    }
    return names;
  }

  /** The PromQL of a query: the selector of Grafana's {@code label_values(selector, label)}. */
  private static String promql(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    return labelValues.matches() ? labelValues.group(1) : query;
  }

  /** The names of the samples of a scrape: {@code _bucket}, {@code _count}, {@code _total} as they are. */
  private static Set<String> exportedSeries(String scrape) {
    return scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
  }

  /** Every {@code expr} in the dashboard, and its variables' queries. */
  private static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    collectExprs(dashboard.get("panels"), queries);
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      queries.add(query.isString() ? query.asString() : query.path("query").asString());
    }
    return queries;
  }

  private static void collectExprs(JsonNode node, List<String> queries) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("expr") && field.getValue().isString()) {
          queries.add(field.getValue().asString());
        } else {
          collectExprs(field.getValue(), queries);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectExprs(element, queries));
    }
  }

  private static List<String> ruleQueries() throws IOException {
    return alerts().stream().map(alert -> String.valueOf(alert.get("expr"))).toList();
  }

  private static List<Map<String, Object>> alerts() throws IOException {
    Map<String, Object> file;
    try (Reader reader = Files.newBufferedReader(RULES, StandardCharsets.UTF_8)) {
      file = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Object group : (List<?>) file.get("groups")) {
      for (Object rule : (List<?>) map(group).get("rules")) {
        alerts.add(map(rule));
      }
    }
    return alerts;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
