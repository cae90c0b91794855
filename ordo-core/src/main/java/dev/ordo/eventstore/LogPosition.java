package dev.ordo.eventstore;

/**
 * A place in the global log. The log is ordered by the committing transaction first and the
 * global position second (ARCHITECTURE.md decision 3), so a checkpoint needs both; clients only
 * ever see {@link #position()}, which is unique and from which a store can {@link
 * LogReader#locate(long) locate} the rest.
 *
 * @param tx       the id of the transaction that wrote the event
 * @param position the event's global position, unique across the log
 */
public record LogPosition(long tx, long position) implements Comparable<LogPosition> {

  /** Before the first event. */
  public static final LogPosition START = new LogPosition(0, 0);

  @Override
  public int compareTo(LogPosition other) {
    int byTx = Long.compare(tx, other.tx);
    return byTx != 0 ? byTx : Long.compare(position, other.position);
  }

  public boolean isAfter(LogPosition other) {
    return compareTo(other) > 0;
  }
}
