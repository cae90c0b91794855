package dev.ordo.spring.command;

import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandResult;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.InvalidInputException.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks a command's shape (its Jakarta Bean Validation annotations) before any handler sees it,
 * whoever dispatched it: seed 000 §3.2's first layer of validation. Answered 400 over HTTP.
 */
public final class ValidationInterceptor implements CommandBus.Interceptor {

  private final Validator validator;

  public ValidationInterceptor(Validator validator) {
    this.validator = validator;
  }

  @Override
  public CommandResult intercept(CommandEnvelope<?> command, Next next) {
    check(command.command());
    return next.proceed(command);
  }

  /** Throws {@link InvalidInputException} naming every field at fault. */
  public void check(Object command) {
    Set<ConstraintViolation<Object>> violations = validator.validate(command);
    if (!violations.isEmpty()) {
      List<FieldError> errors = violations.stream()
          .map(v -> new FieldError(field(v.getPropertyPath()), v.getMessage()))
          .sorted(Comparator.comparing(FieldError::field))
          .toList();
      throw new InvalidInputException(errors);
    }
  }

  /**
   * A field as a client wrote it: {@code items[1]}, {@code items[0].quantity}, never the
   * validator's {@code items[1].<list element>}.
   */
  private static String field(Path path) {
    StringBuilder field = new StringBuilder();
    for (Path.Node node : path) {
      if (node.isInIterable()) {
        Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
        field.append('[').append(at == null ? "" : at).append(']');
      }
      if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
        field.append(field.isEmpty() ? "" : ".").append(node.getName());
      }
    }
    return field.toString();
  }
}
