package dev.ordo.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.search.SearchEngineContract;
import dev.ordo.search.SearchIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded index on disk, written through its target as the consumer mechanism does. */
class LuceneSearchTests extends SearchEngineContract {

  @TempDir
  Path directory;

  private Path opened;

  @Override
  protected SearchIndexes open() {
    try {
      opened = Files.createTempDirectory(directory, "index");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return LuceneIndexes.open(opened, List.of(PRODUCT), ANALYSIS);
  }

  private LuceneIndexes reopen() {
    indexes.close();
    LuceneIndexes reopened = LuceneIndexes.open(opened, List.of(PRODUCT), ANALYSIS);
    indexes = reopened;
    return reopened;
  }

  @Test
  void whatABatchWroteIsDurableWithItsCheckpointAndAFailedBatchLeavesNothing() throws Exception {
    var target = target();
    try (var tx = target.begin()) {
      product(tx.work(), "p9", "버려질 상품", 1, "c", List.of(), 0);
      tx.move(99L, 1);
      // no commit: closed
    }
    reopen();
    assertThat(target().checkpoint()).contains(position);
    assertThat(ids("상품")).isEmpty();
    assertThat(ids("갤럭시")).contains("p1", "p2");
  }

  @Test
  void aRebuiltGenerationServesAfterReopeningAndTheOldOnesFilesAreGone() throws Exception {
    var old = indexes.serving().orElseThrow();
    var building = indexes.rebuild();
    var target = target(building);
    write(target, 1L, batch -> product(batch, "p1", "삼성 갤럭시 S25 스마트폰 (새 세대)", 1, "c", List.of(), 0));
    target.takeOverIfDrained(at -> true);
    indexes.drop(old);
    assertThat(opened.resolve("g1")).doesNotExist();
    assertThat(reopen().serving().orElseThrow().generation()).isEqualTo(2);
    assertThat(ids("세대")).containsExactly("p1");
  }
}
