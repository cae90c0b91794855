package dev.ordo.app.cli;

import me.tongfei.progressbar.ProgressBar;
import tools.jackson.databind.JsonNode;

/**
 * Follows a job the app runs ({@code /api/v1/imports/{id}}, {@code /api/v1/verifications/{id}}):
 * its {@code done} of {@code total} as a progress bar until its {@code state} is no longer RUNNING.
 */
final class Jobs {

  private Jobs() {}

  static JsonNode follow(AppConnection app, String path, String task, String unit) throws InterruptedException {
    try (ProgressBar bar = Progress.bar(task, 1, unit)) {
      while (true) {
        JsonNode job = app.get(path);
        long total = job.path("total").asLong(0);
        bar.maxHint(Math.max(total, 1));
        bar.stepTo(job.path("done").asLong(0));
        String phase = job.path("phase").asString("");
        bar.setExtraMessage(phase);
        if (!job.path("state").asString().equals("RUNNING")) {
          return job;
        }
        Thread.sleep(250);
      }
    }
  }
}
