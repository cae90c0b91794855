package dev.ordo.catalog.legacy;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.codec.EventCodec;
import java.util.List;

/**
 * What an import run records of itself. {@link ImportStarted} goes to the stream {@code imports}
 * (the list of every run), the others to the run's own stream {@code import-<id>}: a status that
 * outlives the process, and the checkpoint a later run of the same source resumes from.
 */
sealed interface ImportEvent {

  String importId();

  EventCodec<ImportEvent> CODEC = EventCodec.builder(ImportEvent.class, CatalogTypes.JSON)
      .event(ImportStarted.class, "LegacyImportStarted", 1)
      .event(ImportProgressed.class, "LegacyImportProgressed", 1)
      .event(ImportCompleted.class, "LegacyImportCompleted", 1)
      .event(ImportFailed.class, "LegacyImportFailed", 1)
      .build();

  /** Both streams' type in the log. */
  String STREAM_TYPE = "import";

  /** The stream listing every run. */
  String INDEX = "imports";

  static String streamOf(String importId) {
    return "import-" + importId;
  }

  /**
   * @param source   the source's URL without its parameters
   * @param resumes  the run whose checkpoint this one starts from, or null
   * @param from     where it starts: the checkpoint resumed, or nothing done
   * @param rejected the records earlier runs rejected, as far as they are kept
   * @param logFrom  the log's position when the source's first run began: what any run of it wrote is after it
   */
  record ImportStarted(String importId, String source, String sourceKey, String actor, String resumes,
      Progress from, List<Rejection> rejected, long logFrom) implements ImportEvent {}

  /** A page done: every record of {@code progress.phase()} up to {@code progress.after()} is in the log. */
  record ImportProgressed(String importId, Progress progress, List<Rejection> rejected) implements ImportEvent {}

  record ImportCompleted(String importId, Progress progress, double eventsPerSecond, Reconciliation reconciliation)
      implements ImportEvent {}

  record ImportFailed(String importId, Progress progress, double eventsPerSecond, String error)
      implements ImportEvent {}

  /**
   * How far a run (and the runs it resumes) got. The phases before {@code phase} are done, and in it
   * every record up to the legacy id {@code after} (null: none of it yet).
   *
   * @param done         records handled: imported, found imported already, or rejected
   * @param appended     events appended
   * @param alreadyThere events a run found in the log already (appending them again changed nothing)
   */
  record Progress(Phase phase, String after, long done, long total, long appended, long alreadyThere, long rejected) {

    static Progress start(long total) {
      return new Progress(Phase.STORES, null, 0, total, 0, 0, 0);
    }
  }

  /** A legacy row the catalog's rules refused, as {@code p_product/<id>}, and why. */
  record Rejection(String record, String reason) {}

  enum Phase {
    STORES("stores"), CATEGORIES("categories"), PRODUCTS("products"), VERIFYING("verifying"),
    CATCHING_UP("catching-up"), DONE("done");

    final String label;

    Phase(String label) {
      this.label = label;
    }
  }
}
