package dev.ordo.catalog.product;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A tag or a search keyword of a product: 1 to {@link #max} characters once trimmed, no control
 * characters. Measured trimmed because it is stored trimmed ({@link ProductDecider}); null is for
 * {@code @NotNull} to refuse.
 */
@Constraint(validatedBy = Term.Check.class)
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Term {

  int max();

  String message() default "must be a term of 1 to {max} characters";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Check implements ConstraintValidator<Term, String> {

    private int max;

    @Override
    public void initialize(Term term) {
      max = term.max();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      String problem = null;
      if (value.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
        problem = "must not contain control characters";
      } else {
        String trimmed = value.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > max) {
          problem = "must have 1 to " + max + " characters once trimmed";
        }
      }
      if (problem != null) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
      }
      return problem == null;
    }
  }
}
