package dev.ordo.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ordo verify [--read-model order_read] [--repair]}: the reconciliation job (seed 000
 * §9.1.5). The app folds every stream and compares it with the read models; differences are listed
 * and, with {@code --repair}, mended. Exit 0 when nothing differs (or everything was repaired), 1
 * otherwise.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Compares every aggregate folded from the log with the read models; optionally repairs.")
final class VerifyCommand implements Callable<Integer> {

  @Mixin
  AppConnection app;

  @Option(names = "--read-model", description = "only this read model (default: every one that can be verified)")
  String readModel;

  @Option(names = "--repair", description = "mend the differences found")
  boolean repair;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("readModel", readModel);
    body.put("repair", repair);
    JsonNode started = app.post("/api/v1/verifications", body);
    String id = started.path("id").asString();
    JsonNode job = Jobs.follow(app, "/api/v1/verifications/" + id, "verify", "aggregates");
    JsonNode differences = job.path("differences");
    for (JsonNode d : differences) {
      System.out.println(d.path("readModel").asString() + " " + d.path("id").asString() + ": " + d.path("field").asString()
          + " log=" + d.path("log") + " stored=" + d.path("stored"));
    }
    System.out.println("checked " + job.path("checked").asLong() + ", differences " + job.path("differenceCount").asLong()
        + (repair ? ", repaired " + job.path("repaired").asLong() : ""));
    if (!job.path("state").asString().equals("COMPLETED")) {
      System.err.println("verify: " + job.path("state").asString() + " " + job.path("error").asString(""));
      return ExitCodes.FAILED;
    }
    long left = job.path("differenceCount").asLong() - job.path("repaired").asLong();
    return left == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
