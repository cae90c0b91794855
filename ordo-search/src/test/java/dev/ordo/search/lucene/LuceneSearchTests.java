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

  @Test
  void aDocumentReplacedInAPurgingBatchIsGoneFromTheFilesNotOnlyFromSearch() throws Exception {
    write(batch -> { // one segment: a segment with only deleted documents left is dropped anyway
      product(batch, "p9", "zzforgetme 스마트폰", 1, "c-phone", List.of(), 0);
      product(batch, "p10", "다른 스마트폰", 1, "c-phone", List.of(), 0);
    });
    write(batch -> product(batch, "p9", "평범한 스마트폰", 1, "c-phone", List.of(), 0));
    assertThat(ids("zzforgetme")).isEmpty();
    assertThat(filesHold("zzforgetme")).as("replaced, not yet merged away").isTrue();

    write(batch -> batch.purge());

    assertThat(filesHold("zzforgetme")).isFalse();
    assertThat(ids("평범한")).containsExactly("p9");
    assertThat(ids("다른")).containsExactly("p10");
    assertThat(reopen().serving().orElseThrow()).isNotNull();
    assertThat(ids("평범한")).containsExactly("p9");
  }

  private boolean filesHold(String text) throws IOException {
    byte[] wanted = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (var files = Files.walk(opened)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
          if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
