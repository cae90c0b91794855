package dev.ordo.catalog.legacy;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.legacy.ImportEvent.ImportCompleted;
import dev.ordo.catalog.legacy.ImportEvent.ImportFailed;
import dev.ordo.catalog.legacy.ImportEvent.ImportProgressed;
import dev.ordo.catalog.legacy.ImportEvent.ImportStarted;
import dev.ordo.catalog.legacy.ImportEvent.Progress;
import dev.ordo.catalog.legacy.ImportEvent.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An import run as its events tell it: what {@code GET /api/v1/imports/{id}} answers.
 *
 * @param logFrom  the log's position before anything an import of the source wrote
 * @param rejected the first {@link #LISTED} rejections (their count is in {@code progress})
 */
record ImportRun(String id, String source, String sourceKey, String actor, String resumes, long logFrom, State state,
    Progress progress, double eventsPerSecond, List<Rejection> rejected, Reconciliation reconciliation, String error,
    Instant startedAt, Instant finishedAt) {

  enum State { RUNNING, COMPLETED, FAILED }

  /** Rejections listed in a status; the rest are counted. */
  static final int LISTED = 100;

  static ImportRun started(ImportStarted e, Instant at) {
    return new ImportRun(e.importId(), e.source(), e.sourceKey(), e.actor(), e.resumes(), e.logFrom(), State.RUNNING,
        e.from(), 0, listed(List.of(), e.rejected()), null, null, at, null);
  }

  ImportRun evolve(ImportEvent event, Instant at) {
    return switch (event) {
      case ImportStarted e -> started(e, at);
      case ImportProgressed e -> new ImportRun(id, source, sourceKey, actor, resumes, logFrom, state,
          e.progress(), eventsPerSecond, listed(rejected, e.rejected()), reconciliation, error, startedAt, finishedAt);
      case ImportCompleted e -> new ImportRun(id, source, sourceKey, actor, resumes, logFrom, State.COMPLETED,
          e.progress(), e.eventsPerSecond(), rejected, e.reconciliation(), null, startedAt, at);
      case ImportFailed e -> new ImportRun(id, source, sourceKey, actor, resumes, logFrom, State.FAILED,
          e.progress(), e.eventsPerSecond(), rejected, reconciliation, e.error(), startedAt, at);
    };
  }

  /** As it is when nothing runs it any more though its events never said it ended (its process stopped). */
  ImportRun interrupted() {
    return state != State.RUNNING ? this : new ImportRun(id, source, sourceKey, actor, resumes, logFrom, State.FAILED,
        progress, eventsPerSecond, rejected, reconciliation, "interrupted: the process running it stopped; POST the "
        + "same source again to resume from its last checkpoint", startedAt, null);
  }

  ImportRun withEventsPerSecond(double eventsPerSecond) {
    return new ImportRun(id, source, sourceKey, actor, resumes, logFrom, state, progress, eventsPerSecond, rejected,
        reconciliation, error, startedAt, finishedAt);
  }

  private static List<Rejection> listed(List<Rejection> listed, List<Rejection> more) {
    if (more == null || more.isEmpty() || listed.size() >= LISTED) {
      return listed;
    }
    List<Rejection> all = new ArrayList<>(listed);
    all.addAll(more.subList(0, Math.min(more.size(), LISTED - listed.size())));
    return List.copyOf(all);
  }

  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("source", source);
    view.put("state", state.name());
    view.put("phase", progress.phase().label);
    view.put("done", progress.done());
    view.put("total", progress.total());
    view.put("eventsPerSecond", Math.round(eventsPerSecond * 10) / 10.0);
    view.put("events", Map.of("appended", progress.appended(), "alreadyThere", progress.alreadyThere()));
    view.put("rejected", Map.of("count", progress.rejected(), "records", rejected.stream()
        .map(r -> Map.of("record", r.record(), "reason", r.reason())).toList()));
    view.put("startedAt", startedAt.toString());
    view.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
    view.put("startedBy", actor);
    view.put("resumes", resumes);
    view.put("reconciliation", reconciliation == null ? null
        : CatalogTypes.JSON.convertValue(reconciliation, Map.class));
    view.put("error", error);
    return view;
  }
}
