package dev.ordo.search;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The generations of one index in some engine, which of them answers, and the consumer targets
 * that feed them: what a host needs, whichever engine holds the index (embedded Lucene or
 * OpenSearch). A rebuild builds the next generation beside the serving one, which takes over
 * atomically once it caught up; until a first generation caught up, nothing answers.
 */
public interface SearchIndexes extends AutoCloseable {

  SearchEngine engine();

  /** The generation that answers; empty until a first one caught up. */
  Optional<? extends SearchGeneration> serving();

  Optional<? extends SearchGeneration> building();

  /** Every generation a consumer must feed: the serving one and the one being built. */
  List<? extends SearchGeneration> live();

  /** Starts the next generation beside the serving one; fails while one is being built. */
  SearchGeneration rebuild();

  /** Deletes a retired generation. */
  void drop(SearchGeneration retired);

  /** The target of the consumer mechanism that writes a live generation. */
  <P> Target<IndexBatch, P> target(SearchGeneration generation, String name, Positions<P> positions,
      Checkpoints<P> parking);

  /** Whether the engine answers at all now (a remote one may be unreachable); a cheap check. */
  default boolean reachable() {
    return true;
  }

  @Override
  void close();

  /**
   * How a source's positions are kept in an index.
   *
   * @param start   before the first event
   * @param version a number that grows with the position, for engines that order writes by version
   */
  record Positions<P>(P start, Function<P, String> encode, Function<String, P> decode, ToLongFunction<P> version) {}
}
