package dev.ordo.search.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of an index in its own directory, with one writer. A batch's documents are
 * searchable as soon as it is applied (a near-real-time refresh, no disk sync); they are made
 * durable by a Lucene commit at most {@link #COMMIT_EVERY} later, with the position that produced
 * them in the commit's user data, so documents and position are durable together or not at all.
 * A crash loses what was not committed yet and the consumer takes it again from the log, from the
 * committed position (writes are idempotent: a document replaces itself).
 *
 * <p>All writing runs on the index's own thread: an interrupt of a caller (a runner being stopped)
 * must not reach Lucene's file channels, which an interrupt closes under the writer.
 */
public final class LuceneIndex implements dev.ordo.search.SearchGeneration, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LuceneIndex.class);

  static final String CHECKPOINT = "ordo.checkpoint";

  /** How long an applied batch may stay only in memory. */
  static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

  private final int generation;
  private final Path path;
  private final LuceneDocuments documents;
  private final FSDirectory directory;
  private final ScheduledExecutorService writing;
  private IndexWriter writer;
  private SearcherManager searchers;
  /** What is applied and searchable. */
  private volatile String applied;
  /** What is committed: applied once the next commit went through. */
  private volatile String committed;
  /** Raised when the writer is opened again after a failure: whoever applied since must start over. */
  private volatile int incarnation;
  private volatile boolean retired;

  LuceneIndex(int generation, Path path, LuceneDocuments documents) throws IOException {
    this.generation = generation;
    this.path = path;
    this.documents = documents;
    this.directory = FSDirectory.open(path);
    this.writing = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
        .name("ordo-search-write-g" + generation).daemon().factory());
    openWriter();
    writing.scheduleWithFixedDelay(this::commitQuietly, COMMIT_EVERY.toMillis(), COMMIT_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void openWriter() throws IOException {
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setForceMergeDeletesPctAllowed(0); // a purge leaves no segment with a deleted document
    IndexWriterConfig config = new IndexWriterConfig(documents.analyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setRAMBufferSizeMB(64).setMergePolicy(merges);
    writer = new IndexWriter(directory, config);
    searchers = new SearcherManager(writer, null);
    String last = null;
    var data = writer.getLiveCommitData();
    if (data != null) {
      for (Map.Entry<String, String> entry : data) {
        if (entry.getKey().equals(CHECKPOINT)) {
          last = entry.getValue();
        }
      }
    }
    committed = last;
    applied = last;
  }

  @Override
  public int generation() {
    return generation;
  }

  Path path() {
    return path;
  }

  LuceneDocuments documents() {
    return documents;
  }

  /** The position of the last batch applied (searchable); empty before the first. */
  Optional<String> checkpoint() {
    return Optional.ofNullable(applied);
  }

  /** The position of the last commit: what a restart begins from. */
  Optional<String> committed() {
    return Optional.ofNullable(committed);
  }

  int incarnation() {
    return incarnation;
  }

  @Override
  public boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }

  IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  void release(IndexSearcher searcher) throws IOException {
    searchers.release(searcher);
  }

  /**
   * Writes the documents (null: deleted) as applied up to {@code to} and makes them searchable.
   * On a failure the writer goes back to its last commit (everything applied since is gone, and
   * {@link #incarnation} says so) and this throws.
   */
  void apply(Map<Term, Document> changes, String to) throws IOException {
    apply(changes, to, false);
  }

  /**
   * As {@link #apply(Map, String)}; with {@code purge}, the documents replaced or deleted (by this
   * batch and before) are then merged out of the segments and the index committed, so no file of
   * the index holds them any more (the old segments' files go once the searcher of before the
   * refresh is released, at the latest at the next commit).
   */
  void apply(Map<Term, Document> changes, String to, boolean purge) throws IOException {
    run(() -> {
      try {
        for (Map.Entry<Term, Document> change : changes.entrySet()) {
          if (change.getValue() == null) {
            writer.deleteDocuments(change.getKey());
          } else {
            writer.updateDocument(change.getKey(), change.getValue());
          }
        }
        applied = to;
        if (purge) {
          writer.forceMergeDeletes(true);
        }
        searchers.maybeRefreshBlocking();
        if (purge) {
          commitApplied();
        }
      } catch (IOException | RuntimeException e) {
        startOver();
        throw e;
      }
      return null;
    });
  }

  /** Commits what is applied now (before a generation takes over, at close). */
  void commit() throws IOException {
    run(() -> {
      commitApplied();
      return null;
    });
  }

  private void commitApplied() throws IOException {
    String to = applied;
    if (to == null || to.equals(committed) && !writer.hasUncommittedChanges()) {
      return;
    }
    try {
      writer.setLiveCommitData(Map.of(CHECKPOINT, to).entrySet());
      writer.commit();
      committed = to;
    } catch (IOException | RuntimeException e) {
      startOver();
      throw e;
    }
  }

  private void commitQuietly() {
    try {
      commitApplied();
    } catch (IOException | RuntimeException e) {
      log.warn("search index generation {}: commit failed, starting over from {}: {}", generation, committed,
          e.toString());
    }
  }

  /** Back to the last commit: what was applied since is gone, and the consumer must take it again. */
  private void startOver() throws IOException {
    try {
      searchers.close();
      writer.rollback();
    } finally {
      incarnation++;
      openWriter();
    }
  }

  /** Runs on the writing thread and waits for it, whatever interrupts the caller. */
  private <T> T run(Callable<T> work) throws IOException {
    Future<T> done = writing.submit(work);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Commits what is applied and closes the files. */
  @Override
  public void close() {
    try {
      run(() -> {
        try {
          if (writer.isOpen()) {
            commitApplied();
          }
        } finally {
          searchers.close();
          writer.close();
          directory.close();
        }
        return null;
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writing.shutdown();
    }
  }
}
