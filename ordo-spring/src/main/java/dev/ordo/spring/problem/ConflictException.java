package dev.ordo.spring.problem;

/** The request cannot be done in the resource's present state: answered 409 with the given problem type. */
public class ConflictException extends RuntimeException {

  private final String type;

  public ConflictException(String type, String message) {
    super(message);
    this.type = type;
  }

  public String type() {
    return type;
  }
}
