package dev.ordo.spring.command;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * A command record with its declared route, resolved under {@code /api/v1}, and how to set its
 * aggregate id component once the body is read.
 */
record CommandRoute(Class<?> type, String method, String pattern, String idComponent, boolean creates,
    String location, IdSetter idSetter) {

  static CommandRoute of(Class<?> type, HttpCommand http) {
    return new CommandRoute(type, http.method().toUpperCase(), "/api/v1" + http.path(), http.id(), http.creates(),
        http.location(), IdSetter.of(type, http.id()));
  }

  String locationOf(String id) {
    return creates && !location.isEmpty() ? location.replace("{id}", id) : null;
  }

  int successStatus() {
    return creates ? 201 : 200;
  }

  /** A copy of a command record with its id component replaced, through its canonical constructor. */
  record IdSetter(Constructor<?> constructor, Method[] accessors, int idIndex) {

    static IdSetter of(Class<?> type, String idComponent) {
      RecordComponent[] components = type.getRecordComponents();
      if (components == null) {
        throw new IllegalStateException("@HttpCommand " + type.getName() + " is not a record");
      }
      int idIndex = Arrays.stream(components).map(RecordComponent::getName).toList().indexOf(idComponent);
      if (idIndex < 0 || components[idIndex].getType() != String.class) {
        throw new IllegalStateException("@HttpCommand " + type.getName() + " has no String component " + idComponent);
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(
            Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        constructor.setAccessible(true);
        Method[] accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toArray(Method[]::new);
        for (Method accessor : accessors) {
          accessor.setAccessible(true);
        }
        return new IdSetter(constructor, accessors, idIndex);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException("@HttpCommand " + type.getName() + ": no usable canonical constructor", e);
      }
    }

    Object apply(Object command, String id) {
      Object[] arguments = new Object[accessors.length];
      try {
        for (int i = 0; i < accessors.length; i++) {
          arguments[i] = i == idIndex ? id : accessors[i].invoke(command);
        }
        return constructor.newInstance(arguments);
      } catch (InvocationTargetException e) {
        // a compact constructor refusing the values: bad input like any other
        if (e.getCause() instanceof RuntimeException refused) {
          throw refused;
        }
        throw new IllegalStateException(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
