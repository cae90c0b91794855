package dev.ordo.catalog.category;

import dev.ordo.spring.query.QueryInput;

import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The category tree and one category with its parent and subtree, from {@code category_read}
 * (API.md "Catalog → Queries"); a created category's {@code Location} points here.
 */
@RestController
public class CategoryQueries {

  private static final String ALL = """
      SELECT category_id, name, parent_id, path, depth FROM category_read ORDER BY depth, name, category_id
      """;

  /** The category, its parent (depth 0 marks it) and its subtree, parents before children. */
  private static final String ONE = """
      WITH RECURSIVE subtree AS (
          SELECT category_id, name, parent_id, path, depth FROM category_read WHERE category_id = ?
          UNION ALL
          SELECT c.category_id, c.name, c.parent_id, c.path, c.depth
            FROM category_read c JOIN subtree s ON c.parent_id = s.category_id)
      SELECT p.category_id, p.name, p.parent_id, p.path, p.depth, 0 AS role
        FROM category_read p WHERE p.category_id = (SELECT parent_id FROM category_read WHERE category_id = ?)
      UNION ALL
      SELECT category_id, name, parent_id, path, depth, 1 FROM subtree
      ORDER BY role, depth, name, category_id
      """;

  private record Row(String id, String name, String parentId, String path, int depth) {

    static Row of(ResultSet rs) throws SQLException {
      return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5));
    }

    Map<String, Object> node() {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", id);
      node.put("name", name);
      node.put("parentId", parentId);
      node.put("path", path);
      node.put("depth", depth);
      node.put("children", new ArrayList<Map<String, Object>>());
      return node;
    }
  }

  private final DataSource readDatabase;
  private final ReadModels readModels;

  public CategoryQueries(@Qualifier("readDataSource") DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  /** Every category as a tree: the roots, each with its nested {@code children}, by name. */
  @GetMapping("/api/v1/categories")
  public ResponseEntity<Map<String, Object>> tree(HttpServletRequest request) throws InterruptedException {
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Row> rows = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ALL);
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        rows.add(Row.of(rs));
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .body(Map.of("categories", nest(rows, null)));
  }

  /** One category: its path, its parent ({@code id}, {@code name}; null for a root) and its subtree. */
  @GetMapping("/api/v1/categories/{id}")
  public ResponseEntity<Map<String, Object>> category(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Row parent = null;
    List<Row> subtree = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ONE)) {
      select.setString(1, id);
      select.setString(2, id);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(6) == 0) {
            parent = Row.of(rs);
          } else {
            subtree.add(Row.of(rs));
          }
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    if (subtree.isEmpty()) {
      throw new NotFoundException("no category " + id);
    }
    Map<String, Object> category = nest(subtree, id).getFirst();
    category.put("parent", parent == null ? null : Map.of("id", parent.id(), "name", parent.name()));
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(category);
  }

  /**
   * The rows as nested nodes; the roots are {@code rootId} (or, when null, every row whose parent
   * is not among them). Rows come parents first (by depth), so a parent's node exists before its
   * children's.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> nest(List<Row> rows, String rootId) {
    Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    List<Map<String, Object>> roots = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> node = row.node();
      nodes.put(row.id(), node);
      Map<String, Object> parent = row.id().equals(rootId) || row.parentId() == null ? null : nodes.get(row.parentId());
      if (parent == null) {
        roots.add(node);
      } else {
        ((List<Map<String, Object>>) parent.get("children")).add(node);
      }
    }
    return roots;
  }
}
