package dev.ordo.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child process that does not come up is named, with its exit code, its log file and the log's last lines. */
class ServiceTests {

  @TempDir
  Path directory;

  private Service service(String script) {
    return new Service("order", "order", Ports.free().order(), List.of("sh", "-c", script),
        directory.resolve("logs").resolve("order.log"), Duration.ofSeconds(1), Duration.ofSeconds(5), () -> false);
  }

  @Test
  void aServiceThatExitsBeforeItIsHealthyIsNamedWithItsExitCodeAndTheEndOfItsLog() {
    Service service = service("echo 'APPLICATION FAILED TO START'; echo 'Port already in use' >&2; exit 3");

    assertThatThrownBy(service::start)
        .hasMessageContaining("order exited with code 3 before it was healthy")
        .hasMessageContaining(service.log().toString())
        .hasMessageContaining("APPLICATION FAILED TO START")
        .hasMessageContaining("Port already in use");
  }

  @Test
  void aServiceThatIsNotHealthyInTimeIsNamedWithItsUrlAndLogAndCanBeStopped() {
    Service service = service("echo starting; exec sleep 60");

    assertThatThrownBy(service::start)
        .hasMessageContaining("order did not answer UP on " + service.url() + "/actuator/health within 1 s")
        .hasMessageContaining(service.log().toString())
        .hasMessageContaining("starting");
    assertThat(service.running()).isTrue();
    service.stop();
    assertThat(service.running()).isFalse();
    assertThat(service.exitCode()).hasValue(143);
  }

  @Test
  void itsLogIsAppendedToAndTheTailIsOnlyWhatTheLastStartWrote() throws Exception {
    Service service = service("echo run; exit 1");
    assertThatThrownBy(service::start).hasMessageContaining("exited with code 1");
    assertThatThrownBy(service::start).hasMessageContaining("exited with code 1");

    String log = Files.readString(service.log());
    assertThat(log.split("order started by the topology", -1)).hasSize(3);
    assertThat(log.split("\nrun\n", -1)).hasSize(3);
    assertThat(service.logTail(10)).isEqualTo("run");
  }
}
