package dev.ordo.spring.command;

/** A command type with its declared route, resolved under {@code /api/v1}. */
record CommandRoute(Class<?> type, String method, String pattern, String idComponent, boolean creates,
    String location) {

  static CommandRoute of(Class<?> type, HttpCommand http) {
    return new CommandRoute(type, http.method().toUpperCase(), "/api/v1" + http.path(), http.id(), http.creates(),
        http.location());
  }

  String locationOf(String id) {
    return creates && !location.isEmpty() ? location.replace("{id}", id) : null;
  }

  int successStatus() {
    return creates ? 201 : 200;
  }
}
