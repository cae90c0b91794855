package dev.ordo.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidTests {

  @Test
  void idsAreVersion7AndStrictlyIncreasing() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(TimeOrderedUuid.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      // unsigned comparison of the most significant half: time, then the counter
      assertThat(Long.compareUnsigned(ids.get(i).getMostSignificantBits(), ids.get(i - 1).getMostSignificantBits()))
          .isPositive();
    }
    assertThat(ids).allSatisfy(id -> {
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
    });
  }

  @Test
  void theTimestampIsTheCurrentTime() {
    long before = System.currentTimeMillis();
    long millis = TimeOrderedUuid.next().getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(before, System.currentTimeMillis() + 1_000);
  }
}
