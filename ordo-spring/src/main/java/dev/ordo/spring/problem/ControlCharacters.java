package dev.ordo.spring.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request whose query or form parameters hold a control character (tab and line breaks
 * aside) with a 400 naming the parameter. Parameters are text, and PostgreSQL cannot even store a
 * NUL in text: refusing says so, where stripping would quietly answer another question.
 */
public class ControlCharacters implements HandlerInterceptor {

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
      String name = parameter.getKey();
      if (containsControl(name)) {
        throw new InvalidInputException("parameters", "a parameter name holds a control character");
      }
      for (String value : parameter.getValue()) {
        if (containsControl(value)) {
          throw new InvalidInputException(name, "must not contain control characters");
        }
      }
    }
    return true;
  }

  /** A C0 or C1 control character other than tab, line feed and carriage return. */
  public static boolean containsControl(String text) {
    return text != null && text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
  }
}
