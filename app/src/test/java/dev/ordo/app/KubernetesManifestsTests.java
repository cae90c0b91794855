package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code deploy/k8s} agree with each other, with the Dockerfiles
 * under {@code deploy/docker} and with the configuration the application and the gateway start
 * with: what a {@code kubectl apply} would only reveal as pods that never get ready, a gateway
 * that routes nowhere or an autoscaler that watches the wrong topics. Plain files, no cluster.
 */
class KubernetesManifestsTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final Path DOCKER = ROOT.resolve("deploy/docker");
  private static final Path APP_RESOURCES = ROOT.resolve("app/src/main/resources");
  private static final Path GATEWAY_RESOURCES = ROOT.resolve("gateway/src/main/resources");

  /** A role's port when its {@code application-<profile>.properties} does not exist: deploy/README.md's table. */
  private static final Map<String, Integer> ROLE_PORTS = Map.of("order", 8081, "dispatch", 8082, "delivery", 8083,
      "catalog", 8085, "consumer", 8084, "api", 8084, "full", 8084);
  private static final int DEFAULT_PORT = 8080;
  /** Where each gateway route must end: {@code ORDO_GATEWAY_SERVICES_<name>} → the profiles that serve it. */
  private static final Map<String, Set<String>> GATEWAY_ROUTES = Map.of("ORDER", Set.of("order"),
      "DISPATCH", Set.of("dispatch"), "DELIVERY", Set.of("delivery"), "CATALOG", Set.of("catalog"),
      "READMODEL", Set.of("api", "full"));
  private static final Set<String> READ_MODEL_PROFILES = Set.of("consumer", "api", "full");
  /** Profiles that relay their log to Kafka or follow it. */
  private static final Set<String> KAFKA_PROFILES = Set.of("order", "dispatch", "delivery", "catalog", "consumer",
      "full");
  /** One topic per stream type, each behind the ConfigMap's prefix. */
  private static final List<String> STREAM_TYPES = List.of("order", "dispatch", "delivery", "product", "store",
      "category");
  private static final String LIVENESS = "/actuator/health/liveness";
  private static final String READINESS = "/actuator/health/readiness";
  private static final String PROMETHEUS = "/actuator/prometheus";
  private static final Pattern IMAGE = Pattern.compile("ordo/(app|gateway):([A-Za-z0-9_][A-Za-z0-9_.-]*)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  private static final Set<String> KUSTOMIZATION_NAMES = Set.of("kustomization.yaml", "kustomization.yml",
      "Kustomization");

  private static List<Path> yamlFiles;
  private static Map<Path, Map<String, Object>> kustomizations;
  /** The objects of every file some kustomization lists as a resource (patches are not objects). */
  private static List<Map<String, Object>> objects;

  @BeforeAll
  static void readManifests() throws IOException {
    assertThat(K8S).as("the manifests' directory").isDirectory();
    try (Stream<Path> files = Files.walk(K8S)) {
      yamlFiles = files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")
              || KUSTOMIZATION_NAMES.contains(f.getFileName().toString()))
          .sorted().toList();
    }
    Map<Path, List<Object>> documents = new TreeMap<>();
    yamlFiles.forEach(file -> documents.put(file, documents(file)));
    kustomizations = new TreeMap<>();
    documents.forEach((file, content) -> {
      if (KUSTOMIZATION_NAMES.contains(file.getFileName().toString())) {
        kustomizations.put(file.getParent(), map(content.getFirst()));
      }
    });
    Set<Path> resourceFiles = new TreeSet<>();
    kustomizations.forEach((dir, kustomization) -> strings(kustomization.get("resources")).stream()
        .map(entry -> dir.resolve(entry).normalize()).filter(documents::containsKey).forEach(resourceFiles::add));
    objects = resourceFiles.stream().flatMap(file -> documents.get(file).stream())
        .map(KubernetesManifestsTests::map).toList();
  }

  @Test
  void everyFileAKustomizationListsExistsAndEveryManifestIsListed() {
    assertSoftly(softly -> {
      Set<Path> listed = new TreeSet<>();
      Set<Path> referencedDirectories = new TreeSet<>();
      kustomizations.forEach((dir, kustomization) -> {
        List<String> entries = new ArrayList<>(strings(kustomization.get("resources")));
        entries.addAll(strings(kustomization.get("components")));
        entries.addAll(strings(kustomization.get("patchesStrategicMerge")));
        list(kustomization.get("patches")).stream().map(p -> map(p).get("path")).filter(String.class::isInstance)
            .map(String.class::cast).forEach(entries::add);
        for (String entry : entries) {
          Path target = dir.resolve(entry).normalize();
          if (Files.isDirectory(target)) {
            referencedDirectories.add(target);
            softly.assertThat(kustomizationIn(target))
                .as("%s lists directory %s, which holds no kustomization.yaml", relative(dir), entry).isPresent();
          } else {
            softly.assertThat(target).as("%s lists %s", relative(dir), entry).isRegularFile();
            listed.add(target);
          }
        }
      });
      for (Path file : yamlFiles) {
        if (!KUSTOMIZATION_NAMES.contains(file.getFileName().toString())) {
          softly.assertThat(listed).as("%s is in no kustomization.yaml: kubectl apply -k would leave it out",
              relative(file)).contains(file);
        }
      }
      for (Path dir : kustomizations.keySet()) {
        if (!dir.startsWith(K8S.resolve("overlays"))) {
          softly.assertThat(referencedDirectories).as("%s is used by no overlay", relative(dir)).contains(dir);
        }
      }

      List<Map<String, Object>> namespaces = objectsOfKind("Namespace");
      softly.assertThat(namespaces).as("Namespace objects").hasSize(1);
      String namespace = namespaces.isEmpty() ? null : name(namespaces.getFirst());
      kustomizations.forEach((dir, kustomization) -> {
        if ("Kustomization".equals(kustomization.getOrDefault("kind", "Kustomization"))) {
          softly.assertThat(kustomization.get("namespace"))
              .as("%s: namespace (what it adds, a component's objects too, would land elsewhere)", relative(dir))
              .isEqualTo(namespace);
        }
        for (Object patch : list(kustomization.get("patches"))) {
          Map<String, Object> target = map(map(patch).get("target"));
          softly.assertThat(objects).as("%s: patch target %s matches no object", relative(dir), target)
              .anyMatch(o -> (target.get("kind") == null || target.get("kind").equals(o.get("kind")))
                  && (target.get("name") == null || target.get("name").equals(name(o))));
        }
      });
    });
  }

  @Test
  void deploymentsRunTheImagesTheDockerfilesBuild() throws IOException {
    assertThat(deployments()).as("Deployments").isNotEmpty();
    for (Map<String, Object> deployment : deployments()) {
      List<Object> containers = list(podSpec(deployment).get("containers"));
      assertThat(containers).as("%s: containers (the overlays patch containers/0)", name(deployment)).hasSize(1);
      String image = (String) container(deployment).get("image");
      Matcher matcher = IMAGE.matcher(String.valueOf(image));
      assertThat(matcher.matches()).as("%s: image %s is ordo/app:<tag> or ordo/gateway:<tag>", name(deployment),
          image).isTrue();
      assertThat(matcher.group(2)).as("%s: image tag", name(deployment)).isNotEqualTo("latest");

      String module = matcher.group(1);
      Path dockerfile = DOCKER.resolve(module + ".Dockerfile");
      assertThat(dockerfile).as("the Dockerfile of image ordo/%s", module).isRegularFile();
      Dockerfile built = Dockerfile.read(dockerfile);
      String jar = module + "/target/" + finalName(module) + ".jar";
      Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
      List<String> ignored = Files.exists(ignore) ? Files.readAllLines(ignore) : List.of("!" + jar);
      assertSoftly(softly -> {
        softly.assertThat(built.instructions("FROM")).as("%s: base image", relative(dockerfile))
            .containsExactly("eclipse-temurin:21-jre");
        softly.assertThat(built.instructions("USER")).as("%s: a non-root user", relative(dockerfile)).isNotEmpty()
            .last().matches(user -> !user.split(":")[0].equals("root") && !user.split(":")[0].equals("0"));
        softly.assertThat(built.copies()).as("%s copies the jar Maven builds", relative(dockerfile))
            .containsKey(jar);
        String copiedTo = built.copies().getOrDefault(jar, "?");
        softly.assertThat(built.instructions("ENTRYPOINT").stream().map(entry -> yaml().load(entry)).toList())
            .as("%s: entry point, exec form", relative(dockerfile)).containsExactly(List.of("java", "-jar", copiedTo));
        softly.assertThat(built.exposed()).as("%s exposes %s's port", relative(dockerfile), name(deployment))
            .contains(containerPort(deployment));
        softly.assertThat(ignored).as("%s lets the jar into the build context", relative(ignore))
            .contains("!" + jar);
      });
    }
  }

  @Test
  void containerPortsAreThePortsTheirProfilesListenOn() {
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        List<Object> ports = list(container(deployment).get("ports"));
        softly.assertThat(ports).as("%s: container ports", name(deployment)).hasSize(1);
        Port expected = isGateway(deployment) ? gatewayPort() : rolePort(profile(deployment));
        softly.assertThat(containerPort(deployment))
            .as("%s: container port; %s listens on %d (%s)", name(deployment), expected.who(), expected.port(),
                expected.source())
            .isEqualTo(expected.port());
      }
    });
  }

  @Test
  void servicesSelectOneDeploymentEachAndTargetAPortItExposes() {
    List<Map<String, Object>> services = objectsOfKind("Service");
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        softly.assertThat(labels(podTemplate(deployment)))
            .as("%s: its pods carry the labels its selector matches", name(deployment))
            .containsAllEntriesOf(stringMap(map(map(spec(deployment).get("selector")).get("matchLabels"))));
        softly.assertThat(services.stream().filter(s -> selected(s).contains(deployment)))
            .as("%s: a Service selects it", name(deployment)).isNotEmpty();
      }
      for (Map<String, Object> service : services) {
        List<Map<String, Object>> selected = selected(service);
        softly.assertThat(selected.stream().map(KubernetesManifestsTests::name).toList())
            .as("Service %s: the Deployments it selects (by %s)", name(service), map(spec(service).get("selector")))
            .hasSize(1);
        if (selected.size() != 1) {
          continue;
        }
        for (Object port : list(spec(service).get("ports"))) {
          Object targetPort = map(port).getOrDefault("targetPort", map(port).get("port"));
          softly.assertThat(resolvePort(selected.getFirst(), targetPort))
              .as("Service %s: targetPort %s is a port of %s", name(service), targetPort, name(selected.getFirst()))
              .contains(containerPort(selected.getFirst()));
        }
      }
    });
  }

  @Test
  void probesAskTheActuatorHealthGroupsAndPrometheusScrapesOnTheServicePort() {
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        Map<String, Object> container = container(deployment);
        Map<String, String> probes = Map.of("startupProbe", LIVENESS, "livenessProbe", LIVENESS,
            "readinessProbe", READINESS);
        probes.forEach((probe, path) -> {
          Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
          softly.assertThat(get.get("path")).as("%s: %s path", name(deployment), probe).isEqualTo(path);
          softly.assertThat(resolvePort(deployment, get.get("port"))).as("%s: %s port", name(deployment), probe)
              .contains(containerPort(deployment));
        });
        Map<String, Object> annotations = map(map(podTemplate(deployment).get("metadata")).get("annotations"));
        softly.assertThat(annotations.get("prometheus.io/scrape")).as("%s: prometheus.io/scrape", name(deployment))
            .isEqualTo("true");
        softly.assertThat(annotations.get("prometheus.io/path")).as("%s: prometheus.io/path", name(deployment))
            .isEqualTo(PROMETHEUS);
        softly.assertThat(annotations.get("prometheus.io/port")).as("%s: prometheus.io/port", name(deployment))
            .isEqualTo(String.valueOf(containerPort(deployment)));
      }
    });
  }

  /** The probes above answer only where the health groups are on, on the port the pods expose. */
  @Test
  void theApplicationAndTheGatewayEnableTheProbesAndEndpointsTheManifestsUse() {
    Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
    configurations.put(relative(APP_RESOURCES.resolve("application.properties")),
        configuration(APP_RESOURCES, "application").orElse(Map.of()));
    for (String profile : appProfiles()) {
      Optional<Path> file = configurationFile(APP_RESOURCES, "application-" + profile);
      if (file.isPresent()) {
        configurations.put(relative(file.get()), configuration(APP_RESOURCES, "application-" + profile).orElseThrow());
      }
    }
    Optional<Map<String, String>> gateway = configuration(GATEWAY_RESOURCES, "application");
    assertSoftly(softly -> {
      softly.assertThat(configurationFile(APP_RESOURCES, "application")).as("the app's application.properties")
          .isPresent();
      softly.assertThat(gateway).as("the gateway's configuration, %s/application.yml or .properties",
          relative(GATEWAY_RESOURCES)).isPresent();
      gateway.ifPresent(properties -> configurations.put(relative(GATEWAY_RESOURCES) + "/application.*", properties));
      configurations.forEach((file, properties) -> {
        boolean base = !file.contains("application-");
        String probes = properties.get("management.endpoint.health.probes.enabled");
        if (base) {
          softly.assertThat(probes).as("%s: management.endpoint.health.probes.enabled (the liveness and "
              + "readiness groups the probes ask)", file).isEqualTo("true");
          softly.assertThat(exposed(properties)).as("%s: management.endpoints.web.exposure.include", file)
              .contains("health", "prometheus");
        } else {
          softly.assertThat(probes).as("%s: management.endpoint.health.probes.enabled", file).isNotEqualTo("false");
          String exposure = properties.get("management.endpoints.web.exposure.include");
          if (exposure != null) {
            softly.assertThat(exposed(properties)).as("%s: management.endpoints.web.exposure.include", file)
                .contains("health", "prometheus");
          }
        }
        softly.assertThat(properties.get("management.server.port"))
            .as("%s: management.server.port (the probes and the scrape go to the service port)", file).isNull();
      });
    });
  }

  @Test
  void theGatewayRoutesToServicesThatExistOnTheirPorts() {
    List<Map<String, Object>> gateways = deployments().stream().filter(KubernetesManifestsTests::isGateway).toList();
    assertThat(gateways).as("gateway Deployments").hasSize(1);
    Map<String, String> routes = new TreeMap<>();
    env(gateways.getFirst()).forEach((name, variable) -> {
      if (name.startsWith("ORDO_GATEWAY_SERVICES_")) {
        routes.put(name.substring("ORDO_GATEWAY_SERVICES_".length()), (String) variable.get("value"));
      }
    });
    assertThat(routes.keySet()).as("the gateway's ORDO_GATEWAY_SERVICES_* variables")
        .containsExactlyInAnyOrderElementsOf(GATEWAY_ROUTES.keySet());
    Optional<Map<String, String>> configured = configuration(GATEWAY_RESOURCES, "application");
    assertSoftly(softly -> {
      configured.ifPresent(properties -> properties.keySet().stream()
          .filter(key -> key.startsWith("ordo.gateway.services."))
          .map(key -> key.substring("ordo.gateway.services.".length()).split("\\.")[0])
          .forEach(service -> softly.assertThat(routes).as("the gateway's configuration names service %s", service)
              .containsKey(service.toUpperCase().replace("-", ""))));
      routes.forEach((route, url) -> {
        URI uri = URI.create(url);
        String host = uri.getHost().split("\\.")[0];
        softly.assertThat(uri.getScheme()).as("route %s: %s", route, url).isEqualTo("http");
        Optional<Map<String, Object>> service = objectsOfKind("Service").stream()
            .filter(s -> name(s).equals(host)).findFirst();
        softly.assertThat(service).as("route %s: %s names Service %s", route, url, host).isPresent();
        if (service.isEmpty()) {
          return;
        }
        Optional<Map<String, Object>> port = list(spec(service.get()).get("ports")).stream()
            .map(KubernetesManifestsTests::map).filter(p -> p.get("port").equals(uri.getPort())).findFirst();
        softly.assertThat(port).as("route %s: Service %s has port %d", route, host, uri.getPort()).isPresent();
        List<Map<String, Object>> behind = selected(service.get());
        softly.assertThat(behind.stream().map(KubernetesManifestsTests::name).toList())
            .as("route %s: the Deployments behind Service %s", route, host).hasSize(1);
        if (port.isPresent() && behind.size() == 1) {
          Map<String, Object> deployment = behind.getFirst();
          softly.assertThat(GATEWAY_ROUTES.get(route)).as("route %s: the profile of %s", route, name(deployment))
              .contains(profile(deployment));
          softly.assertThat(resolvePort(deployment, port.get().getOrDefault("targetPort", port.get().get("port"))))
              .as("route %s: Service %s port %d reaches the container's port", route, host, uri.getPort())
              .contains(containerPort(deployment));
        }
      });
    });
  }

  @Test
  void containersTakeTheirSettingsFromTheConfigMapAndSecretThatExist() {
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        Set<String> defined = new LinkedHashSet<>();
        env(deployment).forEach((name, variable) -> {
          Object value = variable.get("value");
          if (value instanceof String text) {
            Matcher matcher = VARIABLE.matcher(text);
            while (matcher.find()) {
              softly.assertThat(defined).as("%s: %s uses $(%s), which must be defined above it (else Kubernetes "
                  + "leaves the text as it is)", name(deployment), name, matcher.group(1)).contains(matcher.group(1));
            }
          } else {
            softly.assertThat(resolve(variable)).as("%s: %s from %s", name(deployment), name,
                variable.get("valueFrom")).isPresent();
          }
          defined.add(name);
        });
        if (isGateway(deployment)) {
          continue;
        }
        String profile = profile(deployment);
        softly.assertThat(env(deployment)).as("%s: the databases (profile %s)", name(deployment), profile)
            .containsKeys("ORDO_DB_URL", "ORDO_READ_DB_URL", "ORDO_DB_USER", "ORDO_DB_PASSWORD");
        if (KAFKA_PROFILES.contains(profile)) {
          softly.assertThat(env(deployment)).as("%s: Kafka (profile %s relays or follows)", name(deployment), profile)
              .containsKeys("ORDO_KAFKA_BOOTSTRAP_SERVERS", "ORDO_KAFKA_TOPIC_PREFIX");
        }
      }
    });
  }

  @Test
  void eachWriteServiceHasItsOwnDatabasesAndTheReadModelServiceSharesItsOwn() {
    Map<String, List<String>> byDatabase = new TreeMap<>();
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        if (isGateway(deployment)) {
          continue;
        }
        String log = envValue(deployment, "ORDO_DB_URL");
        String read = envValue(deployment, "ORDO_READ_DB_URL");
        softly.assertThat(read).as("%s: the read database is another database than the log's", name(deployment))
            .isNotEqualTo(log);
        byDatabase.computeIfAbsent(log, url -> new ArrayList<>()).add(profile(deployment));
        byDatabase.computeIfAbsent(read, url -> new ArrayList<>()).add(profile(deployment));
      }
      byDatabase.forEach((url, profiles) -> softly.assertThat(profiles.size() == 1
              || READ_MODEL_PROFILES.containsAll(profiles))
          .as("database %s is shared by %s: only the read-model service's roles share theirs", url, profiles)
          .isTrue());
    });
  }

  @Test
  void containersSizeTheHeapFromAFixedMemoryLimit() {
    assertSoftly(softly -> {
      for (Map<String, Object> deployment : deployments()) {
        Map<String, Object> resources = map(container(deployment).get("resources"));
        Map<String, Object> requests = map(resources.get("requests"));
        Map<String, Object> limits = map(resources.get("limits"));
        softly.assertThat(requests).as("%s: resource requests", name(deployment)).containsKeys("cpu", "memory");
        softly.assertThat(limits).as("%s: resource limits", name(deployment)).containsKey("memory");
        softly.assertThat(requests.get("memory")).as("%s: memory request = limit", name(deployment))
            .isEqualTo(limits.get("memory"));
        softly.assertThat(envValue(deployment, "JAVA_TOOL_OPTIONS"))
            .as("%s: JAVA_TOOL_OPTIONS sizes the heap from the container's memory", name(deployment))
            .contains("-XX:MaxRAMPercentage=");
      }
    });
  }

  @Test
  void theAutoscalerScalesTheReadModelConsumerOnTheLagOfEveryTopic() {
    List<Map<String, Object>> scalers = objectsOfKind("ScaledObject");
    assertThat(scalers).as("KEDA ScaledObjects").hasSize(1);
    Map<String, Object> scaler = scalers.getFirst();
    Map<String, Object> spec = spec(scaler);
    String targetName = (String) map(spec.get("scaleTargetRef")).get("name");
    Optional<Map<String, Object>> target = deployments().stream().filter(d -> name(d).equals(targetName)).findFirst();
    assertThat(target).as("ScaledObject %s: target Deployment %s", name(scaler), targetName).isPresent();
    Map<String, Object> deployment = target.get();
    String prefix = envValue(deployment, "ORDO_KAFKA_TOPIC_PREFIX");
    String bootstrap = envValue(deployment, "ORDO_KAFKA_BOOTSTRAP_SERVERS");

    assertSoftly(softly -> {
      softly.assertThat(scaler.get("apiVersion")).as("apiVersion").isEqualTo("keda.sh/v1alpha1");
      softly.assertThat(map(spec.get("scaleTargetRef")).getOrDefault("kind", "Deployment")).as("target kind")
          .isEqualTo("Deployment");
      softly.assertThat(profile(deployment)).as("the profile of %s", targetName).isEqualTo("consumer");
      softly.assertThat(spec(deployment)).as("%s: replicas (KEDA owns the count; a count here is put back by "
          + "every apply)", targetName).doesNotContainKey("replicas");
      softly.assertThat(spec.get("minReplicaCount")).as("minReplicaCount").isEqualTo(1);
      softly.assertThat(spec.get("maxReplicaCount")).as("maxReplicaCount").isEqualTo(3);
      softly.assertThat(prefix).as("the topic prefix %s reads from the ConfigMap", targetName).isNotBlank();

      List<String> topics = new ArrayList<>();
      for (Object trigger : list(spec.get("triggers"))) {
        softly.assertThat(map(trigger).get("type")).as("trigger type").isEqualTo("kafka");
        Map<String, String> metadata = stringMap(map(map(trigger).get("metadata")));
        softly.assertThat(metadata.get("consumerGroup")).as("consumerGroup").isEqualTo("ordo-read-model");
        softly.assertThat(metadata.get("lagThreshold")).as("lagThreshold").matches("[1-9][0-9]*");
        String fromEnv = metadata.get("bootstrapServersFromEnv");
        if (fromEnv != null) {
          softly.assertThat(fromEnv).as("bootstrapServersFromEnv: the variable the consumer connects with")
              .isEqualTo("ORDO_KAFKA_BOOTSTRAP_SERVERS");
          softly.assertThat(map(env(deployment).get(fromEnv)).get("valueFrom"))
              .as("%s: %s comes from the ConfigMap", targetName, fromEnv).isNotNull();
        } else {
          softly.assertThat(metadata.get("bootstrapServers")).as("bootstrapServers: the ConfigMap's")
              .isEqualTo(bootstrap);
        }
        String topic = metadata.get("topic");
        softly.assertThat(topic).as("topic: one per trigger (the kafka scaler takes no list)").isNotNull()
            .doesNotContain(",");
        if (topic != null && prefix != null) {
          softly.assertThat(topic).as("topic %s: behind the ConfigMap's prefix %s", topic, prefix).startsWith(prefix);
        }
        topics.add(topic);
      }
      softly.assertThat(topics).as("the topics watched: one per stream type")
          .containsExactlyInAnyOrderElementsOf(STREAM_TYPES.stream().map(type -> prefix + type).toList());
    });
  }

  // --- the application's side ---

  private record Port(String who, int port, String source) {}

  private static Port rolePort(String profile) {
    String file = relative(APP_RESOURCES) + "/application-" + profile + ".properties";
    Optional<Map<String, String>> role = configuration(APP_RESOURCES, "application-" + profile);
    if (role.isEmpty()) {
      Integer port = ROLE_PORTS.get(profile);
      assertThat(port).as("profile %s: no %s, and not in deploy/README.md's table", profile, file).isNotNull();
      return new Port("profile " + profile, port, "deploy/README.md's table: " + file + " does not exist");
    }
    String port = role.get().get("server.port");
    if (port != null) {
      return new Port("profile " + profile, Integer.parseInt(port), "server.port in " + file);
    }
    String fallback = configuration(APP_RESOURCES, "application").orElse(Map.of()).get("server.port");
    return new Port("profile " + profile, fallback == null ? DEFAULT_PORT : Integer.parseInt(fallback),
        file + " sets no server.port, so application.properties' or Spring's default");
  }

  private static Port gatewayPort() {
    String port = configuration(GATEWAY_RESOURCES, "application").orElse(Map.of()).get("server.port");
    return port == null
        ? new Port("the gateway", DEFAULT_PORT, "no server.port in " + relative(GATEWAY_RESOURCES))
        : new Port("the gateway", Integer.parseInt(port), "server.port in " + relative(GATEWAY_RESOURCES));
  }

  private static Set<String> appProfiles() {
    return deployments().stream().filter(d -> !isGateway(d)).map(KubernetesManifestsTests::profile)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> exposed(Map<String, String> properties) {
    String include = properties.getOrDefault("management.endpoints.web.exposure.include", "health");
    Set<String> endpoints = Stream.of(include.split(",")).map(String::trim).collect(Collectors.toSet());
    return endpoints.contains("*") ? Set.of("health", "prometheus", "*") : endpoints;
  }

  private static Optional<Path> configurationFile(Path directory, String name) {
    return Stream.of(".properties", ".yml", ".yaml").map(ext -> directory.resolve(name + ext))
        .filter(Files::isRegularFile).findFirst();
  }

  /** A Spring configuration file as flat properties; YAML documents for a profile are left out. */
  private static Optional<Map<String, String>> configuration(Path directory, String name) {
    return configurationFile(directory, name).map(file -> {
      Map<String, String> flat = new TreeMap<>();
      try (Reader reader = Files.newBufferedReader(file)) {
        if (file.toString().endsWith(".properties")) {
          Properties properties = new Properties();
          properties.load(reader);
          properties.forEach((key, value) -> flat.put(key.toString(), value.toString().trim()));
        } else {
          for (Object document : yaml().loadAll(reader)) {
            Map<String, String> one = new TreeMap<>();
            flatten("", document, one);
            if (!one.containsKey("spring.config.activate.on-profile")) {
              flat.putAll(one);
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return flat;
    });
  }

  private static void flatten(String prefix, Object value, Map<String, String> into) {
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((key, child) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, child, into));
    } else if (value instanceof List<?> items) {
      into.put(prefix, items.stream().map(String::valueOf).collect(Collectors.joining(",")));
    } else if (value != null) {
      into.put(prefix, value.toString());
    }
  }

  /** The name a module's pom gives its jar; the module's own name after "ordo-" if there is no pom (yet). */
  private static String finalName(String module) throws IOException {
    Path pom = ROOT.resolve(module).resolve("pom.xml");
    if (!Files.exists(pom)) {
      return "ordo-" + module;
    }
    Matcher matcher = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(pom));
    assertThat(matcher.find()).as("%s: <finalName>", relative(pom)).isTrue();
    return matcher.group(1).trim();
  }

  /** The instructions of a Dockerfile that this test reads (no continuation lines among them). */
  private record Dockerfile(List<String[]> lines) {

    static Dockerfile read(Path file) throws IOException {
      return new Dockerfile(Files.readAllLines(file).stream().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> line.split("\\s+", 2)).filter(parts -> parts.length == 2).toList());
    }

    List<String> instructions(String keyword) {
      return lines.stream().filter(parts -> parts[0].equalsIgnoreCase(keyword)).map(parts -> parts[1].trim()).toList();
    }

    /** COPY source → destination, flags (--chown, --chmod) left out. */
    Map<String, String> copies() {
      Map<String, String> copies = new HashMap<>();
      for (String copy : instructions("COPY")) {
        List<String> words = Stream.of(copy.split("\\s+")).filter(word -> !word.startsWith("--")).toList();
        words.subList(0, words.size() - 1).forEach(source -> copies.put(source, words.getLast()));
      }
      return copies;
    }

    Set<Integer> exposed() {
      return instructions("EXPOSE").stream().flatMap(ports -> Stream.of(ports.split("\\s+")))
          .map(port -> Integer.parseInt(port.replace("/tcp", ""))).collect(Collectors.toSet());
    }
  }

  // --- the manifests ---

  private static List<Map<String, Object>> objectsOfKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  private static List<Map<String, Object>> deployments() {
    return objectsOfKind("Deployment");
  }

  private static boolean isGateway(Map<String, Object> deployment) {
    return String.valueOf(container(deployment).get("image")).startsWith("ordo/gateway:");
  }

  private static String profile(Map<String, Object> deployment) {
    String profiles = envValue(deployment, "SPRING_PROFILES_ACTIVE");
    assertThat(profiles).as("%s: SPRING_PROFILES_ACTIVE, its one role", name(deployment)).matches("[a-z-]+");
    return profiles;
  }

  private static List<Map<String, Object>> selected(Map<String, Object> service) {
    Map<String, String> selector = stringMap(map(spec(service).get("selector")));
    return selector.isEmpty() ? List.of() : deployments().stream()
        .filter(d -> labels(podTemplate(d)).entrySet().containsAll(selector.entrySet())).toList();
  }

  /** A port by number or by the container port's name. */
  private static Optional<Integer> resolvePort(Map<String, Object> deployment, Object port) {
    if (port instanceof Integer number) {
      return list(container(deployment).get("ports")).stream().map(p -> map(p).get("containerPort"))
          .filter(number::equals).map(Integer.class::cast).findFirst();
    }
    return list(container(deployment).get("ports")).stream().map(KubernetesManifestsTests::map)
        .filter(p -> p.get("name") != null && p.get("name").equals(port)).map(p -> (Integer) p.get("containerPort"))
        .findFirst();
  }

  private static int containerPort(Map<String, Object> deployment) {
    List<Object> ports = list(container(deployment).get("ports"));
    assertThat(ports).as("%s: container ports", name(deployment)).isNotEmpty();
    return (Integer) map(ports.getFirst()).get("containerPort");
  }

  private static Map<String, Map<String, Object>> env(Map<String, Object> deployment) {
    Map<String, Map<String, Object>> env = new LinkedHashMap<>();
    list(container(deployment).get("env")).forEach(e -> env.put((String) map(e).get("name"), map(e)));
    return env;
  }

  /** A variable's value: written out, or read from the ConfigMap or Secret it names. */
  private static String envValue(Map<String, Object> deployment, String name) {
    Map<String, Object> variable = env(deployment).get(name);
    if (variable == null) {
      return null;
    }
    return variable.get("value") != null ? String.valueOf(variable.get("value")) : resolve(variable).orElse(null);
  }

  private static Optional<String> resolve(Map<String, Object> variable) {
    Map<String, Object> from = map(variable.get("valueFrom"));
    for (var source : Map.of("configMapKeyRef", "ConfigMap", "secretKeyRef", "Secret").entrySet()) {
      Map<String, Object> ref = map(from.get(source.getKey()));
      if (!ref.isEmpty()) {
        return objectsOfKind(source.getValue()).stream().filter(o -> name(o).equals(ref.get("name")))
            .flatMap(o -> Stream.of(map(o.get("data")), map(o.get("stringData"))))
            .map(data -> data.get(ref.get("key"))).filter(value -> value != null).map(String::valueOf).findFirst();
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> spec(Map<String, Object> object) {
    return map(object.get("spec"));
  }

  private static Map<String, Object> podTemplate(Map<String, Object> deployment) {
    return map(spec(deployment).get("template"));
  }

  private static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return map(podTemplate(deployment).get("spec"));
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    List<Object> containers = list(podSpec(deployment).get("containers"));
    assertThat(containers).as("%s: containers", name(deployment)).isNotEmpty();
    return map(containers.getFirst());
  }

  private static Map<String, String> labels(Map<String, Object> object) {
    return stringMap(map(map(object.get("metadata")).get("labels")));
  }

  private static String name(Map<String, Object> object) {
    return String.valueOf(map(object.get("metadata")).get("name"));
  }

  // --- YAML ---

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static List<Object> documents(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<Object> documents = new ArrayList<>();
      yaml().loadAll(reader).forEach(document -> {
        if (document != null) {
          documents.add(document);
        }
      });
      assertThat(documents).as("%s: YAML documents", relative(file)).isNotEmpty();
      return documents;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> kustomizationIn(Path directory) {
    return KUSTOMIZATION_NAMES.stream().map(directory::resolve).filter(Files::isRegularFile).findFirst();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value instanceof List<?> list ? (List<Object>) list : List.of();
  }

  private static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }

  private static Map<String, String> stringMap(Map<String, Object> map) {
    Map<String, String> strings = new TreeMap<>();
    map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
    return strings;
  }

  private static String relative(Path path) {
    return ROOT.relativize(path).toString();
  }
}
