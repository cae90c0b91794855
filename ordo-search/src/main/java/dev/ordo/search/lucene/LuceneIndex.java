package dev.ordo.search.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;

/**
 * One generation of an index in its own directory: one writer, searchers refreshed after each
 * commit, and the consumer's checkpoint in the commit's user data, so the documents and the
 * position that produced them are durable together or not at all.
 */
public final class LuceneIndex implements dev.ordo.search.SearchGeneration, AutoCloseable {

  static final String CHECKPOINT = "ordo.checkpoint";

  private final int generation;
  private final Path path;
  private final LuceneDocuments documents;
  private final FSDirectory directory;
  private IndexWriter writer;
  private SearcherManager searchers;
  private volatile String checkpoint;
  private volatile boolean retired;
  private final ExecutorService committer;

  LuceneIndex(int generation, Path path, LuceneDocuments documents) throws IOException {
    this.generation = generation;
    this.path = path;
    this.documents = documents;
    this.directory = FSDirectory.open(path);
    this.committer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("ordo-search-commit-g" + generation)
        .daemon().factory());
    openWriter();
  }

  private void openWriter() throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(documents.analyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setRAMBufferSizeMB(64);
    writer = new IndexWriter(directory, config);
    searchers = new SearcherManager(writer, null);
    String committed = null;
    var data = writer.getLiveCommitData();
    if (data != null) {
      for (Map.Entry<String, String> entry : data) {
        if (entry.getKey().equals(CHECKPOINT)) {
          committed = entry.getValue();
        }
      }
    }
    checkpoint = committed;
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

  /** The checkpoint of the last commit; empty before the first. */
  Optional<String> checkpoint() {
    return Optional.ofNullable(checkpoint);
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
   * Writes the documents (null: deleted) and commits them with {@code to}; on any failure nothing of
   * it stays (the writer is rolled back and opened again on the last commit). The work runs on the
   * index's own thread: an interrupt of the caller (a runner being stopped) must not reach Lucene's
   * file channels, which an interrupt closes under the writer.
   */
  void commit(Map<Term, Document> changes, String to) throws IOException {
    Future<?> done = committer.submit(() -> {
      write(changes, to);
      return null;
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get();
          return;
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

  private synchronized void write(Map<Term, Document> changes, String to) throws IOException {
    try {
      for (Map.Entry<Term, Document> change : changes.entrySet()) {
        if (change.getValue() == null) {
          writer.deleteDocuments(change.getKey());
        } else {
          writer.updateDocument(change.getKey(), change.getValue());
        }
      }
      Map<String, String> data = new HashMap<>();
      data.put(CHECKPOINT, to);
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
      checkpoint = to;
    } catch (IOException | RuntimeException e) {
      try {
        searchers.close();
        writer.rollback();
      } finally {
        openWriter();
      }
      throw e;
    }
    searchers.maybeRefreshBlocking();
  }

  @Override
  public void close() {
    committer.shutdown();
    try {
      committer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeFiles();
  }

  private synchronized void closeFiles() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
