package dev.ordo.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md, checked on the compiled code so they stay true. */
class ArchitectureTests {

  private static final String[] CORE = {"dev.ordo.eventstore..", "dev.ordo.command..", "dev.ordo.codec..",
      "dev.ordo.consumer..", "dev.ordo.snapshot.."};
  private static final String[] CONTEXTS = {"dev.ordo.catalog..", "dev.ordo.ordering.."};
  private static final int CORE_PUBLIC_TYPES = 41; // 40 + Caller: who asks for a command (issue 14)

  private static final JavaClasses CODE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.ordo");

  @Test
  void coreKnowsNothingOfSpringHttpOrSql() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..", "java.sql..",
            "javax.sql..", "org.postgresql..", "com.zaxxer..", "dev.ordo.postgres..", "dev.ordo.spring..",
            "dev.ordo.kafka..", "org.apache.kafka..", "dev.ordo.catalog..", "dev.ordo.ordering..", "dev.ordo.app..")
        .check(CODE);
  }

  @Test
  void thePostgresModuleKnowsNothingOfSpringOrTheContexts() {
    noClasses().that().resideInAPackage("dev.ordo.postgres..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.ordo.spring..",
            "dev.ordo.catalog..", "dev.ordo.ordering..", "dev.ordo.app..")
        .check(CODE);
  }

  @Test
  void theSpringStarterKnowsNoContextNorKafka() {
    noClasses().that().resideInAPackage("dev.ordo.spring..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.ordo.catalog..", "dev.ordo.ordering..", "dev.ordo.app..",
            "dev.ordo.kafka..", "org.apache.kafka..")
        .check(CODE);
  }

  @Test
  void theKafkaModuleKnowsOnlyTheCore() {
    noClasses().that().resideInAPackage("dev.ordo.kafka..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.ordo.spring..",
            "dev.ordo.postgres..", "java.sql..", "dev.ordo.catalog..", "dev.ordo.ordering..", "dev.ordo.app..")
        .check(CODE);
  }

  @Test
  void contextsDependOnCoreAndSpringOnlyNeverOnPostgresOrEachOther() {
    noClasses().that().resideInAnyPackage(CONTEXTS)
        .should().dependOnClassesThat().resideInAnyPackage("dev.ordo.postgres..", "dev.ordo.app..", "dev.ordo.bench..",
            "dev.ordo.kafka..", "org.apache.kafka..")
        .check(CODE);
    noClasses().that().resideInAPackage("dev.ordo.catalog..")
        .should().dependOnClassesThat().resideInAPackage("dev.ordo.ordering..")
        .check(CODE);
    noClasses().that().resideInAPackage("dev.ordo.ordering..")
        .should().dependOnClassesThat().resideInAPackage("dev.ordo.catalog..")
        .check(CODE);
  }

  /** Small enough to read in one sitting (STYLE.md): top-level public types of ordo-core. */
  @Test
  void corePublicApiStaysSmall() {
    List<String> types = CODE.stream()
        .filter(c -> c.getPackageName().matches("dev\\.ordo\\.(eventstore|command|codec|consumer|snapshot)(\\..*)?"))
        .filter(JavaClass::isTopLevelClass)
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
        .filter(c -> !c.getSimpleName().equals("package-info"))
        .map(JavaClass::getName).sorted().toList();
    assertThat(types).as("ordo-core's public types").hasSizeLessThanOrEqualTo(CORE_PUBLIC_TYPES);
  }

  /** Each package says what it is for. */
  @Test
  void everyPackageHasAPackageInfo() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (Stream<Path> sources = Files.walk(root, 12)) {
      List<Path> missing = sources
          .filter(p -> p.toString().contains("/src/main/java/") && p.toString().endsWith(".java"))
          .filter(p -> !p.toString().contains("/bench/"))
          .map(Path::getParent).distinct()
          .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
          .map(root::relativize).sorted().toList();
      assertThat(missing).as("packages without a package-info.java").isEmpty();
    }
  }
}
