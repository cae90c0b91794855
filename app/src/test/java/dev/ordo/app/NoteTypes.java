package dev.ordo.app;

import dev.ordo.eventstore.EventTypes;
import org.springframework.context.annotation.Bean;

/**
 * A test event type, {@code Noted} v1, for tests that append to the app's store directly. Passed to
 * {@link RunningApp#start} as a source; not a {@code @Configuration}, so the app's component scan
 * does not pick it up for every test.
 */
class NoteTypes {

  @Bean
  EventTypes notedEventType() {
    return EventTypes.builder().type("Noted", 1).build();
  }
}
