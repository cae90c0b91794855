package dev.ordo.postgres.personaldata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.personaldata.PersonalData;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Personal data keys on a real PostgreSQL: sealing, opening, forgetting, across two processes. */
class PostgresPersonalDataIntegrationTests {

  private DataSource dataSource;
  private PersonalData personalData;

  @BeforeEach
  void database() {
    dataSource = TestPostgres.newDatabase();
    OrdoMigrations.migrateLog(dataSource);
    personalData = new PostgresPersonalData(dataSource);
  }

  @Test
  void aSealedValueOpensToItsPlaintextAndDoesNotShowIt() {
    String sealed = personalData.seal("customer-1", "Zelda 010-1234-5678");

    assertThat(sealed).startsWith("ordo:pd:1:").doesNotContain("Zelda").doesNotContain("5678");
    assertThat(personalData.open(sealed)).isEqualTo("Zelda 010-1234-5678");
    assertThat(personalData.seal("customer-1", "Zelda 010-1234-5678")).as("a new IV each time").isNotEqualTo(sealed);
  }

  @Test
  void aValueNotSealedIsReturnedAsItIs() {
    assertThat(personalData.open("서울시 강남구 1")).isEqualTo("서울시 강남구 1");
    assertThat(personalData.open(null)).isNull();
    assertThat(personalData.seal("customer-1", null)).isNull();
  }

  @Test
  void aForgottenSubjectsValuesOpenToForgottenAndOthersStillOpen() {
    String forgotten = personalData.seal("customer-1", "Zelda");
    String kept = personalData.seal("customer-2", "Link");

    personalData.forget("customer-1");

    assertThat(personalData.open(forgotten)).isEqualTo(PersonalData.FORGOTTEN);
    assertThat(personalData.open(kept)).isEqualTo("Link");
    assertThat(count("SELECT count(*) FROM personal_data_keys WHERE subject = 'customer-1'")).isZero();
  }

  @Test
  void aSubjectForgottenGetsANewKeyForWhatItGivesLater() {
    String before = personalData.seal("customer-1", "Zelda");
    personalData.forget("customer-1");

    String after = personalData.seal("customer-1", "Zelda again");

    assertThat(personalData.open(after)).isEqualTo("Zelda again");
    assertThat(personalData.open(before)).isEqualTo(PersonalData.FORGOTTEN);
  }

  @Test
  void forgettingASubjectWithoutAKeyDoesNothing() {
    personalData.forget("never-seen");

    assertThat(count("SELECT count(*) FROM personal_data_keys")).isZero();
  }

  /** A changed value is damage or tampering, never a forgotten subject: it fails loudly. */
  @Test
  void aChangedSealedValueDoesNotOpen() {
    String sealed = personalData.seal("customer-1", "Zelda");
    char last = sealed.charAt(sealed.length() - 1);
    String changed = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
    String moved = sealed.replace(sealed.substring(10, 46), personalData.seal("customer-2", "x").substring(10, 46));

    assertThatThrownBy(() -> personalData.open(changed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> personalData.open(moved)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> personalData.open("ordo:pd:1:not-a-key")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aForgetInAnotherProcessTakesEffectHereOnceTheCacheExpires() throws Exception {
    var here = new PostgresPersonalData(dataSource, Duration.ofMillis(200));
    var there = new PostgresPersonalData(dataSource, Duration.ofMillis(200));
    String sealed = here.seal("customer-1", "Zelda");
    assertThat(there.open(sealed)).isEqualTo("Zelda");

    here.forget("customer-1");
    Thread.sleep(300);

    assertThat(there.open(sealed)).isEqualTo(PersonalData.FORGOTTEN);
  }

  @Test
  void processesMakingASubjectsFirstKeyAtOnceShareOne() throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> sealed = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        var process = new PostgresPersonalData(dataSource);
        sealed.add(pool.submit((Callable<String>) () -> process.seal("customer-1", "Zelda")));
      }
      for (Future<String> value : sealed) {
        assertThat(personalData.open(value.get())).isEqualTo("Zelda");
      }
      assertThat(count("SELECT count(*) FROM personal_data_keys")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  private long count(String sql) {
    try (Connection connection = dataSource.getConnection();
        ResultSet rs = connection.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
