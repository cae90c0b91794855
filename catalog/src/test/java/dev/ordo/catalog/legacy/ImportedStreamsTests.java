package dev.ordo.catalog.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductStatus;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.command.ValidationInterceptor;
import jakarta.validation.Validation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportedStreamsTests {

  private static final ValidationInterceptor SHAPES =
      new ValidationInterceptor(Validation.buildDefaultValidatorFactory().getValidator());
  private static final Instant CREATED = Instant.parse("2019-03-01T00:00:00Z");

  private final ImportedStreams streams = new ImportedStreams(SHAPES::check, "run-1");

  private static LegacyCatalog.Product product(String name, long price, List<LegacyCatalog.Review> reviews,
      Instant hiddenAt, Instant deletedAt, String imageType) {
    return new LegacyCatalog.Product("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "11111111-1111-1111-1111-111111111111",
        "42", name, "ON_SALE", price, 7, "https://img/t.jpg", "desc", hiddenAt, CREATED, CREATED.plusSeconds(99),
        deletedAt, List.of(new LegacyCatalog.Image("i1", imageType, "https://img/1.jpg", 0)), List.of("Sale", "sale "),
        reviews);
  }

  @Test
  void aProductIsItsRegistrationReviewsHidingAndDeletionAtTheirOwnTimesMarkedWithTheirRows() throws Exception {
    var review = new LegacyCatalog.Review("r-1", "u-1", 4, "좋아요", CREATED.plusSeconds(3600));
    var imported = streams.product(product(" Lamp ", 12_000, List.of(review), CREATED.plusSeconds(7200),
        CREATED.plusSeconds(10_800), "primary"));

    List<NewEvent> events = imported.request().events();
    assertThat(events).extracting(NewEvent::type)
        .containsExactly("ProductRegistered", "ReviewAdded", "ProductHidden", "ProductDeleted");
    assertThat(events).extracting(NewEvent::occurredAt).containsExactly(CREATED, CREATED.plusSeconds(3600),
        CREATED.plusSeconds(7200), CREATED.plusSeconds(10_800));
    assertThat(events).extracting(e -> e.metadata().importedFrom()).containsExactly(
        "p_product/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "p_review/r-1", "p_product/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        "p_product/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
    assertThat(events).extracting(e -> e.metadata().actor()).containsOnly("import");
    // the legacy UUID is the stream; an id that is no UUID gives a derived one, the same every time
    assertThat(imported.streamId()).isEqualTo("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
    ProductEvent.ProductRegistered registered = (ProductEvent.ProductRegistered) decode(events.getFirst());
    assertThat(registered.categoryId()).isEqualTo(ImportedStreams.streamId("p_category", "42"))
        .isEqualTo(ImportedStreams.streamId("p_category", "42")).hasSize(36);
    // as the command would have made it: the name trimmed, tags each once
    assertThat(registered.name()).isEqualTo("Lamp");
    assertThat(registered.tags()).containsExactly("Sale");
    Product state = imported.state();
    assertThat(state.status()).isEqualTo(ProductStatus.DELETED);
    assertThat(state.reviewCount()).isEqualTo(1);
    // deleted: it holds no name in its store
    assertThat(imported.request().claims()).isEmpty();

    var again = new ImportedStreams(SHAPES::check, "run-2").product(product(" Lamp ", 12_000, List.of(review),
        CREATED.plusSeconds(7200), CREATED.plusSeconds(10_800), "primary"));
    assertThat(again.request().events()).extracting(NewEvent::eventId)
        .containsExactlyElementsOf(events.stream().map(NewEvent::eventId).toList());
  }

  @Test
  void timesNeverGoBackAndTheDeletionComesLast() throws Exception {
    var late = new LegacyCatalog.Review("r-2", "u-2", 5, null, CREATED.plusSeconds(50_000));
    var early = new LegacyCatalog.Review("r-3", "u-3", 3, null, CREATED.minusSeconds(60));
    var imported = streams.product(product("Chair", 1, List.of(late, early), null, CREATED.plusSeconds(100), "DETAIL"));
    assertThat(imported.request().events()).extracting(NewEvent::type)
        .containsExactly("ProductRegistered", "ReviewAdded", "ReviewAdded", "ProductDeleted");
    assertThat(imported.request().events()).extracting(NewEvent::occurredAt)
        .containsExactly(CREATED, CREATED, CREATED.plusSeconds(50_000), CREATED.plusSeconds(50_000));
    assertThat(imported.state().status()).isEqualTo(ProductStatus.DELETED);
  }

  @Test
  void whatACommandWouldRefuseIsRejectedNamingTheRow() throws Exception {
    assertThatThrownBy(() -> streams.product(product(" ", 100, List.of(), null, null, "PRIMARY")))
        .isInstanceOfSatisfying(ImportedStreams.Rejected.class, e -> {
          assertThat(e.rejection.record()).isEqualTo("p_product/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
          assertThat(e.rejection.reason()).startsWith("invalid: name");
        });
    assertThatThrownBy(() -> streams.product(product("Negative", -1, List.of(), null, null, "PRIMARY")))
        .isInstanceOfSatisfying(ImportedStreams.Rejected.class,
            e -> assertThat(e.rejection.reason()).startsWith("invalid: price"));
    assertThatThrownBy(() -> streams.product(product("Banner", 1, List.of(), null, null, "BANNER")))
        .isInstanceOfSatisfying(ImportedStreams.Rejected.class,
            e -> assertThat(e.rejection.reason()).contains("images[0].imageType BANNER"));
    // a review out of range is refused alone; the product imports, active, holding its name
    var imported = streams.product(product("Desk", 1, List.of(new LegacyCatalog.Review("r-9", "u", 9, null,
        CREATED)), null, null, "PRIMARY"));
    assertThat(imported.rejected()).singleElement().satisfies(r -> {
      assertThat(r.record()).isEqualTo("p_review/r-9");
      assertThat(r.reason()).startsWith("invalid: rating");
    });
    assertThat(imported.request().events()).extracting(NewEvent::type).containsExactly("ProductRegistered");
    assertThat(imported.request().claims()).hasSize(1);
  }

  @Test
  void aCategoryKeepsItsParentAndAStoreItsName() throws Exception {
    var category = streams.category(new LegacyCatalog.Category("7", "3", "모바일", CREATED));
    assertThat(category.state().parentId()).isEqualTo(ImportedStreams.streamId("p_category", "3"));
    assertThat(category.request().events().getFirst().eventId()).isEqualTo(ImportedStreams.eventId("p_category/7"));
    var store = streams.store(new LegacyCatalog.Store("5", " Mart ", CREATED));
    assertThat(store.state().name()).isEqualTo("Mart");
    assertThat(store.request().events().getFirst().occurredAt()).isEqualTo(CREATED);
  }

  private static ProductEvent decode(NewEvent event) {
    return CatalogTypes.PRODUCT.codec().decode(new RecordedEvent(new LogPosition(1, 1), event.eventId(), "s",
        "product", 1, event.type(), event.schemaVersion(), event.data(), EventMetadata.NONE, Instant.EPOCH));
  }
}
