package dev.ordo.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server process a data directory's {@code postmaster.pid} names. The file outlives
 * its process (a kill -9, a power loss), and its pid may be a zombie nobody reaps or, later, another
 * process entirely; PostgreSQL refuses to start while that pid exists, so only {@link #runsOn} tells.
 */
record Postmaster(long pid, int port) {

  static final String PID_FILE = "postmaster.pid";
  /** Processes are looked at in /proc (Linux); elsewhere the server is neither checked nor restarted. */
  static final boolean OBSERVABLE = Files.isDirectory(Path.of("/proc/self"));

  /** Line 1 of the file is the pid, line 4 the port; empty without a (complete) file. */
  static Optional<Postmaster> of(Path pgData) {
    try {
      List<String> lines = Files.readAllLines(pgData.resolve(PID_FILE), StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      return Optional.of(new Postmaster(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // being written: a starting server, looked at again later
    }
  }

  /** Whether the pid is a live (not zombie) postgres whose data directory is {@code pgData}. */
  boolean runsOn(Path pgData) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return false;
      }
      String[] args = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
      if (args.length == 0 || !Path.of(args[0]).getFileName().toString().equals("postgres")) {
        return false;
      }
      for (int i = 1; i + 1 < args.length; i++) {
        if (args[i].equals("-D") && Files.isSameFile(Path.of(args[i + 1]), pgData)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false; // gone, or not ours to read
    }
  }

  /** The postgres binary it runs: pg_ctl lies beside it. */
  Path executable() throws IOException {
    String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
    return Path.of(cmdline.split("\0")[0]).toAbsolutePath();
  }

  /**
   * Asks for a shutdown (SIGTERM: no new sessions, the killed JVM's ones are gone already), then
   * kills it when it takes longer than {@code grace}. A killed server is recovered from the WAL by
   * the next start.
   */
  void stop(Path pgData, Duration grace) throws InterruptedException {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      return;
    }
    process.get().destroy();
    if (awaitExit(pgData, grace)) {
      return;
    }
    process.get().destroyForcibly();
    awaitExit(pgData, Duration.ofSeconds(5));
  }

  /** Polls: the JDK's onExit never completes for a zombie. */
  private boolean awaitExit(Path pgData, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (runsOn(pgData)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
