package dev.ordo.app.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars every long command draws, on stderr so stdout stays the command's output. */
final class Progress {

  private Progress() {}

  static ProgressBar bar(String task, long max, String unit) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(max, 1)).setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250).continuousUpdate().build();
  }
}
