package dev.ordo.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductImage;
import dev.ordo.catalog.product.ProductStatus;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.test.InMemoryEventStore;
import dev.ordo.eventstore.NewEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTypesTests {

  @Test
  void aVersion1ProductRegisteredIsReadWithItsThumbnailAsThePrimaryImage() {
    var codec = CatalogTypes.PRODUCT.codec();
    var store = new InMemoryEventStore(codec.types());
    store.append("p-1", "product", ExpectedVersion.noStream(), List.of(NewEvent.of("ProductRegistered", 1, """
        {"productId":"p-1","storeId":"s","categoryId":"c","name":"Old","price":10,"stockQuantity":1,
         "thumbnailUrl":"t.jpg","description":null}""")));

    var registered = (ProductEvent.ProductRegistered) codec.decode(store.readStream("p-1", 1).events().getFirst());

    assertThat(registered.images()).containsExactly(new ProductImage(ProductImage.ImageType.PRIMARY, "t.jpg", 0));
    assertThat(registered.name()).isEqualTo("Old");
    assertThat(registered.tags()).isEmpty();
    assertThat(registered.keywords()).isEmpty();
  }

  @Test
  void aVersion2ProductRegisteredIsReadAsVersion3WithNoTagsAndNoKeywords() {
    var codec = CatalogTypes.PRODUCT.codec();
    var store = new InMemoryEventStore(codec.types());
    store.append("p-2", "product", ExpectedVersion.noStream(), List.of(NewEvent.of("ProductRegistered", 2, """
        {"productId":"p-2","storeId":"s","categoryId":"c","name":"Two","price":10,"stockQuantity":1,
         "thumbnailUrl":null,"description":"d","images":[{"imageType":"DETAIL","imageUrl":"d.jpg","displayOrder":1}]}""")));

    var read = store.readStream("p-2", 1).events().getFirst();
    var registered = (ProductEvent.ProductRegistered) codec.decode(read);

    assertThat(read.schemaVersion()).isEqualTo(3);
    assertThat(registered.tags()).isEqualTo(List.of());
    assertThat(registered.keywords()).isEqualTo(List.of());
    assertThat(registered.images()).containsExactly(new ProductImage(ProductImage.ImageType.DETAIL, "d.jpg", 1));
    assertThat(codec.encode(registered, EventMetadata.NONE).schemaVersion()).isEqualTo(3);
  }

  @Test
  void infoChangesAreWrittenAsAFieldMapOfOldAndNew() {
    var event = new ProductEvent.ProductInfoUpdated("p-1", new ProductEvent.Changes(
        new ProductEvent.Change<>("A", "B"), null, null, null, null, null, null));
    NewEvent encoded = CatalogTypes.PRODUCT.codec().encode(event, EventMetadata.NONE);
    assertThat(encoded.data()).isEqualTo("{\"productId\":\"p-1\",\"changes\":{\"name\":{\"old\":\"A\",\"new\":\"B\"}}}");
  }

  @Test
  void productNamesCompareWithoutCaseWidthOrExtraSpaces() {
    assertThat(CatalogTypes.normalizedName("  Galaxy   S25 ")).isEqualTo(CatalogTypes.normalizedName("galaxy s25"));
    assertThat(CatalogTypes.normalizedName("ＧＡＬＡＸＹ")).isEqualTo("galaxy");
  }

  /** The ordering context reads these by type name and JSON: their shape is a contract. */
  @Test
  void stockEventsForOrdersAreWrittenUnderTheirNamesInThisShape() {
    var codec = CatalogTypes.PRODUCT.codec();
    assertThat(codec.encode(new ProductEvent.StockReserved("p-1", "o-1", 2, 8), EventMetadata.NONE))
        .extracting(NewEvent::type, NewEvent::schemaVersion, NewEvent::data)
        .containsExactly("StockReserved", 1, "{\"productId\":\"p-1\",\"orderId\":\"o-1\",\"quantity\":2,\"stockAfter\":8}");
    assertThat(codec.encode(new ProductEvent.StockReservationRefused("p-2", "o-1", 2, 1, "insufficient-stock"),
        EventMetadata.NONE))
        .extracting(NewEvent::type, NewEvent::schemaVersion, NewEvent::data)
        .containsExactly("StockReservationRefused", 1, "{\"productId\":\"p-2\",\"orderId\":\"o-1\",\"quantity\":2,"
            + "\"available\":1,\"reason\":\"insufficient-stock\"}");
    assertThat(codec.encode(new ProductEvent.StockReleased("p-1", "o-1", 2, 10), EventMetadata.NONE))
        .extracting(NewEvent::type, NewEvent::schemaVersion, NewEvent::data)
        .containsExactly("StockReleased", 1, "{\"productId\":\"p-1\",\"orderId\":\"o-1\",\"quantity\":2,\"stockAfter\":10}");
    assertThat(codec.encode(new ProductEvent.ReservationSettled("p-1", "o-1", 2), EventMetadata.NONE))
        .extracting(NewEvent::type, NewEvent::schemaVersion, NewEvent::data)
        .containsExactly("ReservationSettled", 1, "{\"productId\":\"p-1\",\"orderId\":\"o-1\",\"quantity\":2}");
  }

  @Test
  void aProductSnapshotKeepsItsReservationsTagsAndKeywords() {
    var product = new Product("p-1", "s", "c", "n", null, null, List.of(), List.of("t"), List.of("k"), 10, 3,
        ProductStatus.ACTIVE, 0, 0, Map.of("o-1", 2L, "o-2", 5L));
    String snapshot = CatalogTypes.JSON.writeValueAsString(product);
    assertThat(CatalogTypes.JSON.readValue(snapshot, Product.class)).isEqualTo(product);
  }
}
