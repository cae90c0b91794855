package dev.ordo.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ordo import --source jdbc:postgresql://legacy/shop --source-user u}: the legacy catalog
 * (seed 000 §10.2) into events, run by the app; resumable and idempotent, so running it again after
 * an interruption finishes it. The password comes from {@code ORDO_IMPORT_PASSWORD} or a prompt.
 * Exit 0 when it completed and its reconciliation matches, 1 otherwise.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Imports a legacy relational catalog (p_store, p_category, p_product, ...) into events.")
final class ImportCommand implements Callable<Integer> {

  @Mixin
  AppConnection app;

  @Option(names = "--source", required = true, description = "the legacy PostgreSQL, jdbc:postgresql://host:port/db")
  String source;

  @Option(names = "--source-user", description = "its user")
  String user;

  @Option(names = "--source-password", interactive = true, arity = "0..1",
      description = "its password (default $ORDO_IMPORT_PASSWORD; without a value: asked for)")
  char[] password;

  @Option(names = "--no-wait", description = "start it and return; follow it in the console or with GET /api/v1/imports/{id}")
  boolean noWait;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", source);
    body.put("user", user);
    String secret = password != null ? new String(password) : System.getenv("ORDO_IMPORT_PASSWORD");
    body.put("password", secret);
    JsonNode started = app.post("/api/v1/imports", body);
    String id = started.path("id").asString();
    System.out.println("import " + id);
    if (noWait) {
      return ExitCodes.OK;
    }
    JsonNode job = Jobs.follow(app, "/api/v1/imports/" + id, "import", "rows");
    System.out.println(AppConnection.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
    // done, and the source, the log and the read model agree on every count and sum
    return job.path("state").asString().equals("COMPLETED") && job.path("reconciliation").path("matches").asBoolean()
        ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
