package dev.ordo.search;

/** The engine cannot answer now; nothing about the query. */
public final class SearchUnavailableException extends RuntimeException {

  public SearchUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
