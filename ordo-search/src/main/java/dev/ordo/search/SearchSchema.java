package dev.ordo.search;

import java.util.List;
import java.util.Objects;

/**
 * The fields of one type of document in an index, by what search does with them. A document is
 * its source (a JSON-like map: strings, numbers, lists of strings); the schema says which of its
 * entries are searched and how.
 *
 * @param type  the document type, e.g. {@code product}; an index may hold several
 * @param title the {@link Kind#TEXT} field that is highlighted, completed and matched without spaces;
 *              null for a type that is only looked up by id or field (a projection's own reference data)
 */
public record SearchSchema(String type, String title, List<Field> fields) {

  public enum Kind {
    /** Korean text, searched (a list of strings too: tags); {@code boost} weighs a match in it. */
    TEXT,
    /** Exact values (one or a list): filters, facets, sorting. */
    KEYWORD,
    /**
     * Codes (order ids, user names, tracking numbers): a query word matches as a piece of one, any
     * case, punctuation ignored ({@code SEARCH-USER-4} finds {@code search-user-42}).
     */
    IDENTIFIER,
    /** A whole number: range filters, range facets, sorting. */
    LONG,
    /** A decimal number: sorting. */
    DOUBLE
  }

  public record Field(String name, Kind kind, float boost) {

    public static Field text(String name, float boost) {
      return new Field(name, Kind.TEXT, boost);
    }

    public static Field identifier(String name, float boost) {
      return new Field(name, Kind.IDENTIFIER, boost);
    }

    public static Field keyword(String name) {
      return new Field(name, Kind.KEYWORD, 0);
    }

    public static Field number(String name) {
      return new Field(name, Kind.LONG, 0);
    }

    public static Field decimal(String name) {
      return new Field(name, Kind.DOUBLE, 0);
    }
  }

  public SearchSchema {
    fields = List.copyOf(fields);
    if (title != null && fields.stream().noneMatch(f -> f.name().equals(title) && f.kind() == Kind.TEXT)) {
      throw new IllegalArgumentException("the title " + title + " must be a text field");
    }
  }

  public SearchSchema(String type, String title, Field... fields) {
    this(type, title, List.of(fields));
  }

  public Field field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no field " + name + " in " + type));
  }

  public List<Field> fields(Kind kind) {
    return fields.stream().filter(f -> f.kind() == kind).toList();
  }

  public boolean has(String name, Kind kind) {
    return fields.stream().anyMatch(f -> f.name().equals(name) && Objects.equals(f.kind(), kind));
  }
}
