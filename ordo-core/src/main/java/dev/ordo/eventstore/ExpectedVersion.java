package dev.ordo.eventstore;

/**
 * What the writer believes about a stream's version before appending. A stream that has no
 * events is at version 0; the first event gets version 1.
 */
public sealed interface ExpectedVersion {

  boolean accepts(long currentVersion);

  static ExpectedVersion any() {
    return Any.INSTANCE;
  }

  static ExpectedVersion noStream() {
    return NoStream.INSTANCE;
  }

  static ExpectedVersion exactly(long version) {
    return new Exactly(version);
  }

  /** Append whatever the stream's version is. */
  enum Any implements ExpectedVersion {
    INSTANCE;

    @Override
    public boolean accepts(long currentVersion) {
      return true;
    }

    @Override
    public String toString() {
      return "any";
    }
  }

  /** The stream must not exist yet. */
  enum NoStream implements ExpectedVersion {
    INSTANCE;

    @Override
    public boolean accepts(long currentVersion) {
      return currentVersion == 0;
    }

    @Override
    public String toString() {
      return "no stream";
    }
  }

  /** The stream must be at exactly this version. */
  record Exactly(long version) implements ExpectedVersion {

    public Exactly {
      if (version < 0) {
        throw new IllegalArgumentException("expected version must not be negative, was " + version);
      }
    }

    @Override
    public boolean accepts(long currentVersion) {
      return currentVersion == version;
    }

    @Override
    public String toString() {
      return Long.toString(version);
    }
  }
}
