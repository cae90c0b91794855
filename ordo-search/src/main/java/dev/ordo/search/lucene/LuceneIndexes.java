package dev.ordo.search.lucene;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchGeneration;
import dev.ordo.search.SearchIndexes;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.korean.KoreanAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The generations of one embedded index under a directory ({@code g1}, {@code g2}…) and which of
 * them answers (the file {@code serving}, replaced atomically). A rebuild builds the next generation
 * beside the serving one; once it has caught up with the log it takes over and the old one is
 * dropped. Until a first generation has caught up, none answers: search says it is unavailable and
 * the caller answers another way.
 */
public final class LuceneIndexes implements SearchIndexes {

  private static final String SERVING = "serving";

  private final Path root;
  private final LuceneDocuments documents;
  private final LuceneSearch engine;
  private volatile LuceneIndex serving;
  private volatile LuceneIndex building;

  private LuceneIndexes(Path root, LuceneDocuments documents, KoreanAnalysis analysis) {
    this.root = root;
    this.documents = documents;
    this.engine = new LuceneSearch(this::serving, documents, analysis);
  }

  /** Opens the generations under {@code root}, resuming a rebuild a stop interrupted; a first generation is built when there is none. */
  public static LuceneIndexes open(Path root, List<SearchSchema> schemas, KoreanAnalysis analysis) {
    LuceneIndexes indexes = new LuceneIndexes(root, new LuceneDocuments(schemas, analysis), analysis);
    try {
      Files.createDirectories(root);
      Path pointer = root.resolve(SERVING);
      int serving = Files.exists(pointer) ? Integer.parseInt(Files.readString(pointer).strip()) : 0;
      List<Integer> generations = generations(root);
      for (int generation : generations) {
        if (generation < serving) {
          delete(root.resolve("g" + generation));
        }
      }
      if (serving > 0) {
        indexes.serving = indexes.generation(serving);
      }
      int newest = generations.stream().max(Integer::compare).orElse(0);
      if (newest > serving) {
        indexes.building = indexes.generation(newest);
      } else if (serving == 0) {
        indexes.building = indexes.generation(1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return indexes;
  }

  private LuceneIndex generation(int generation) throws IOException {
    return new LuceneIndex(generation, root.resolve("g" + generation), documents);
  }

  private static List<Integer> generations(Path root) throws IOException {
    try (Stream<Path> children = Files.list(root)) {
      return children.map(p -> p.getFileName().toString()).filter(n -> n.matches("g\\d+"))
          .map(n -> Integer.parseInt(n.substring(1))).sorted().toList();
    }
  }

  @Override
  public <P> Target<IndexBatch, P> target(SearchGeneration generation, String name, Positions<P> positions,
      Checkpoints<P> parking) {
    return new LuceneTarget<>(this, (LuceneIndex) generation, name, positions.start(), positions.encode(),
        positions.decode(), parking);
  }

  @Override
  public SearchEngine engine() {
    return engine;
  }

  /** The generation that answers; empty until a first one caught up. */
  @Override
  public Optional<LuceneIndex> serving() {
    return Optional.ofNullable(serving);
  }

  @Override
  public Optional<LuceneIndex> building() {
    return Optional.ofNullable(building);
  }

  /** Every generation a consumer must feed: the serving one and the one being built. */
  @Override
  public List<LuceneIndex> live() {
    List<LuceneIndex> live = new ArrayList<>();
    serving().ifPresent(live::add);
    building().ifPresent(live::add);
    return live;
  }

  /** Starts the next generation beside the serving one; fails while one is being built. */
  @Override
  public synchronized LuceneIndex rebuild() {
    if (building != null) {
      throw new IllegalStateException("generation " + building.generation() + " is being built");
    }
    try {
      int next = Stream.of(serving).filter(g -> g != null).mapToInt(LuceneIndex::generation).max().orElse(0) + 1;
      building = generation(next);
      return building;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built generation answers from now on; the one before is retired (its consumer stops, then {@link #drop}). */
  synchronized void takeOver(LuceneIndex built) throws IOException {
    if (built != building) {
      return;
    }
    Path temporary = root.resolve(SERVING + ".tmp");
    Files.writeString(temporary, Integer.toString(built.generation()), StandardCharsets.UTF_8);
    Files.move(temporary, root.resolve(SERVING), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    LuceneIndex before = serving;
    serving = built;
    building = null;
    if (before != null) {
      before.retire();
    }
  }

  /** Closes a retired generation and deletes its files. */
  @Override
  public void drop(SearchGeneration generation) {
    LuceneIndex retired = (LuceneIndex) generation;
    if (!retired.retired()) {
      throw new IllegalArgumentException("generation " + retired.generation() + " still answers");
    }
    retired.close();
    try {
      delete(retired.path());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  @Override
  public synchronized void close() {
    for (LuceneIndex index : live()) {
      index.close();
    }
    serving = null;
    building = null;
  }
}
