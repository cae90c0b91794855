package dev.ordo.catalog.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.spring.problem.InvalidInputException;
import org.junit.jupiter.api.Test;

class SourceUrlTests {

  @Test
  void aSourceShowsNoParametersAndIsKeyedByHostPortAndDatabase() {
    var url = SourceUrl.parse("jdbc:postgresql://DB.example/shop?password=hunter2&sslmode=require");
    assertThat(url.display()).isEqualTo("jdbc:postgresql://DB.example/shop").doesNotContain("hunter2");
    assertThat(url.key()).isEqualTo("db.example:5432/shop");
    assertThat(SourceUrl.parse("jdbc:postgresql://db.example:5432/shop").key()).isEqualTo(url.key());
    assertThat(SourceUrl.parse("jdbc:postgresql:shop").key()).isEqualTo("localhost:5432/shop");
  }

  @Test
  void aUrlThatIsNotPostgreSqlIsRefusedNamingTheField() {
    for (String bad : new String[] {null, " ", "jdbc:mysql://h/db", "postgresql://h/db", "jdbc:postgresql://h/",
        "jdbc:postgresql://user:pw@h/db", "jdbc:postgresql://h/db\u0000"}) {
      assertThatThrownBy(() -> SourceUrl.parse(bad)).as(String.valueOf(bad))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("url"));
            assertThat(e.getMessage()).doesNotContain("pw@");
          });
    }
  }
}
