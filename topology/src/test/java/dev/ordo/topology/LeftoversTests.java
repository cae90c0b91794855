package dev.ordo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed launcher left running is found by the directory on its command line, and only
 * that: the JVMs of a topology on another directory are not touched. The JVMs here carry this
 * test's class path, longer than the page of a command line the JDK reads.
 */
class LeftoversTests {

  @TempDir
  Path directory;
  @TempDir
  Path elsewhere;
  private final List<Process> started = new ArrayList<>();

  /** Sleeps until killed: a stand-in for a service or a broker. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(Duration.ofMinutes(2));
    }
  }

  private Process jvm(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add(arguments[0]);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sleeper.class.getName()));
    command.addAll(List.of(arguments).subList(1, arguments.length));
    Process process = new ProcessBuilder(command).start();
    started.add(process);
    return process;
  }

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void theServicesAndTheBrokerOfATopologyOnTheDirectoryAreFoundAndStoppedAndNoOtherProcess() throws Exception {
    Process service = jvm(Leftovers.MARKER + directory);
    Process broker = jvm("-Xmx64m", Broker.serverProperties(directory.resolve("kafka")));
    Process other = jvm(Leftovers.MARKER + elsewhere);
    Process otherBroker = jvm("-Xmx64m", Broker.serverProperties(elsewhere.resolve("kafka")));

    assertThat(Leftovers.services(directory)).extracting(ProcessHandle::pid).containsExactly(service.pid());
    assertThat(Leftovers.broker(directory.resolve("kafka"))).extracting(ProcessHandle::pid)
        .containsExactly(broker.pid());

    Leftovers.stop(Leftovers.services(directory), Duration.ofSeconds(10));
    Leftovers.stop(Leftovers.broker(directory.resolve("kafka")), Duration.ofSeconds(10));
    assertThat(service.waitFor()).isEqualTo(143);
    assertThat(broker.waitFor()).isEqualTo(143);
    assertThat(other.isAlive()).isTrue();
    assertThat(otherBroker.isAlive()).isTrue();
  }
}
