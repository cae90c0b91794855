package dev.ordo.command;

import java.util.Set;

/**
 * Who asks for a command: an id (a token's subject), the roles they hold and the groups they
 * belong to (a seller's stores). Code that runs commands of its own (a process, a deadline) asks
 * as the system, which every {@link AggregateType.Access} lets through.
 */
public record Caller(String id, Set<String> roles, Set<String> groups) {

  public static final String ADMIN = "admin";
  public static final String SYSTEM = "system";

  public Caller {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  /** The platform's own code, named for the record (e.g. {@code process:fulfilment}). */
  public static Caller system(String id) {
    return new Caller(id, Set.of(SYSTEM), Set.of());
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  public boolean isSystem() {
    return roles.contains(SYSTEM);
  }

  public boolean belongsTo(String group) {
    return group != null && groups.contains(group);
  }

  /** Whether the caller is this user, by id. */
  public boolean is(String user) {
    return user != null && user.equals(id);
  }
}
