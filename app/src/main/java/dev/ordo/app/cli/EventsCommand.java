package dev.ordo.app.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code ./ordo events tail|export}: the log, one event per line as JSON (NDJSON). */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Reads the log of the running app.",
    subcommands = {EventsCommand.Tail.class, EventsCommand.Export.class})
final class EventsCommand {

  /** Filters both take, as {@code GET /api/v1/events} does. */
  static final class Filter {

    @Option(names = "--after", description = "start after this log position (default ${DEFAULT-VALUE})", defaultValue = "0")
    long after;

    @Option(names = "--type", description = "only events of this type")
    String type;

    @Option(names = "--stream-type", description = "only events of streams of this type (product, order, ...)")
    String streamType;

    @Option(names = "--correlation-id", description = "only events of this request or conversation")
    String correlationId;

    String query(long from, int limit) {
      var query = new StringBuilder("/api/v1/events?after=").append(from).append("&limit=").append(limit);
      append(query, "type", type);
      append(query, "streamType", streamType);
      append(query, "correlationId", correlationId);
      return query.toString();
    }

    private static void append(StringBuilder query, String name, String value) {
      if (value != null) {
        query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
  }

  /** Follows the log: what is there after {@code --after}, then each new event as it comes, until Ctrl-C. */
  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Prints events as they are appended (Ctrl-C ends it).")
  static final class Tail implements Callable<Integer> {

    @Mixin
    AppConnection app;

    @Mixin
    Filter filter;

    @Option(names = "--from-head", description = "only events appended from now on")
    boolean fromHead;

    @Override
    public Integer call() throws InterruptedException {
      long next = fromHead ? app.get(filter.query(0, 1)).path("head").asLong() : filter.after;
      var out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
      while (!Thread.currentThread().isInterrupted()) {
        JsonNode page = app.get(filter.query(next, 1000));
        write(out, page);
        long after = page.path("next").asLong();
        if (after == next) {
          Thread.sleep(200);
        }
        next = after;
      }
      return ExitCodes.OK;
    }
  }

  /** Writes the log (or the filtered part) up to the head as it is now, with a progress bar. */
  @Command(name = "export", mixinStandardHelpOptions = true, description = "Writes the log as NDJSON to a file or stdout.")
  static final class Export implements Callable<Integer> {

    @Mixin
    AppConnection app;

    @Mixin
    Filter filter;

    @Option(names = {"-o", "--out"}, description = "the file (default stdout)")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
      JsonNode first = app.get(filter.query(filter.after, 1000));
      long head = first.path("head").asLong();
      long count = 0;
      try (Writer writer = out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
              : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
          ProgressBar bar = Progress.bar("export", head - filter.after, "positions")) {
        JsonNode page = first;
        long next = filter.after;
        for (int stuck = 0; stuck < 100; ) { // a page stays empty while an older transaction is open
          count += write(writer, page);
          long after = page.path("next").asLong();
          bar.stepTo(Math.min(after, head) - filter.after);
          if (after >= head) {
            break;
          }
          if (after == next) {
            stuck++;
            Thread.sleep(50);
          } else {
            stuck = 0;
          }
          next = after;
          page = app.get(filter.query(next, 1000));
        }
        writer.flush();
      }
      System.err.println(count + " events up to position " + head + (out != null ? " in " + out : ""));
      return ExitCodes.OK;
    }
  }

  private static int write(Writer out, JsonNode page) {
    int n = 0;
    try {
      for (JsonNode event : page.path("events")) {
        out.write(AppConnection.JSON.writeValueAsString(event));
        out.write('\n');
        n++;
      }
      out.flush();
    } catch (IOException e) {
      throw new AppConnection.Failure(ExitCodes.FAILED, "writing: " + e.getMessage());
    }
    return n;
  }
}
