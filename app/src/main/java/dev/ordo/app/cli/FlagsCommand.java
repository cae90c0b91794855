package dev.ordo.app.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ordo flags} lists the query families' feature flags; {@code ./ordo flags set
 * order-detail write-side} switches one (recorded as an event with the caller as its actor).
 */
@Command(name = "flags", mixinStandardHelpOptions = true, description = "Lists or sets the query families' feature flags.",
    subcommands = FlagsCommand.Set.class)
final class FlagsCommand implements Callable<Integer> {

  @Mixin
  AppConnection app;

  @Override
  public Integer call() {
    print(app.get("/api/v1/flags").path("flags"));
    return ExitCodes.OK;
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Makes a query family answer from read-model or write-side.")
  static final class Set implements Callable<Integer> {

    @Mixin
    AppConnection app;

    @Parameters(index = "0", paramLabel = "<family>", description = "e.g. product-detail")
    String family;

    @Parameters(index = "1", paramLabel = "<source>", description = "read-model or write-side")
    String source;

    @Override
    public Integer call() {
      print(AppConnection.JSON.createArrayNode().add(app.put("/api/v1/flags/" + family, Map.of("source", source))));
      return ExitCodes.OK;
    }
  }

  private static void print(JsonNode flags) {
    System.out.printf("%-18s %-11s %-27s %s%n", "FAMILY", "SOURCE", "CHANGED", "BY");
    for (JsonNode flag : flags) {
      System.out.printf("%-18s %-11s %-27s %s%n", flag.path("family").asString(), flag.path("source").asString(),
          flag.path("changedAt").asString("-"), flag.path("changedBy").asString("-"));
    }
  }
}
