package dev.ordo.search;

/** One generation of an index: built beside the serving one by a rebuild, retired once the next took over. */
public interface SearchGeneration {

  int generation();

  /** Replaced by a newer generation: its consumer stops and it is dropped. */
  boolean retired();
}
