package dev.ordo.app.cli;

import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ordo rebuild product_read [--wait]}: a new generation of a read model or search index
 * built beside the one that answers; with {@code --wait} a progress bar until it answers.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
    description = "Rebuilds a read model or search index (blue/green) in the running app.")
final class RebuildCommand implements Callable<Integer> {

  @Mixin
  AppConnection app;

  @Parameters(paramLabel = "<consumer>", description = "as ./ordo status lists it, e.g. product_read")
  String name;

  @Option(names = "--wait", description = "wait until the new generation answers, with a progress bar")
  boolean await;

  @Override
  public Integer call() throws InterruptedException {
    String path = "/api/v1/projections/" + name;
    JsonNode started = app.post(path + "/rebuild", null);
    int generation = started.path("generation").asInt();
    System.out.println("rebuilding " + name + " as generation " + generation);
    if (!await) {
      return ExitCodes.OK;
    }
    try (ProgressBar bar = Progress.bar(name + " g" + generation, 1, "events")) {
      while (true) {
        JsonNode status = app.get(path);
        JsonNode building = status.path("rebuild");
        if (building.isMissingNode() || building.isNull()) {
          JsonNode active = status.has("active") ? status.path("active") : status;
          if (!status.has("active") || active.path("generation").asInt() == generation) {
            bar.maxHint(Math.max(bar.getCurrent(), 1));
            bar.stepTo(bar.getMax());
            break;
          }
          bar.stepTo(0); // not started yet
        } else {
          if (building.path("state").asString().equals("HALTED")) {
            bar.close();
            System.err.println(name + " g" + generation + " halted at a dead letter: retry or skip it in the console (/admin, Dead letters)");
            return ExitCodes.FAILED;
          }
          long position = building.path("position").asLong();
          bar.maxHint(Math.max(position + building.path("lagEvents").asLong(), 1));
          bar.stepTo(position);
        }
        Thread.sleep(250);
      }
    }
    System.out.println(name + " generation " + generation + " answers");
    return ExitCodes.OK;
  }
}
