package dev.ordo.spring.problem;

/** The resource does not exist: answered 404. */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message);
  }
}
