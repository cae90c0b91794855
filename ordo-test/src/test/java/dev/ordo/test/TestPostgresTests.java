package dev.ordo.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTests {

  @Test
  void givesEachCallerItsOwnDatabaseOnPostgres18() throws Exception {
    var first = TestPostgres.newDatabase();
    var second = TestPostgres.newDatabase();
    try (Connection a = first.getConnection(); Connection b = second.getConnection();
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      sa.execute("CREATE TABLE t (x int)");
      try (ResultSet rs = sb.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      try (ResultSet rs = sa.executeQuery("SHOW server_version_num")) {
        rs.next();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(180000);
      }
    }
  }
}
