package dev.ordo.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductImage;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.test.InMemoryEventStore;
import dev.ordo.eventstore.NewEvent;
import java.util.List;
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
  }

  @Test
  void infoChangesAreWrittenAsAFieldMapOfOldAndNew() {
    var event = new ProductEvent.ProductInfoUpdated("p-1", new ProductEvent.Changes(
        new ProductEvent.Change<>("A", "B"), null, null, null, null));
    NewEvent encoded = CatalogTypes.PRODUCT.codec().encode(event, EventMetadata.NONE);
    assertThat(encoded.data()).isEqualTo("{\"productId\":\"p-1\",\"changes\":{\"name\":{\"old\":\"A\",\"new\":\"B\"}}}");
  }

  @Test
  void productNamesCompareWithoutCaseWidthOrExtraSpaces() {
    assertThat(CatalogTypes.normalizedName("  Galaxy   S25 ")).isEqualTo(CatalogTypes.normalizedName("galaxy s25"));
    assertThat(CatalogTypes.normalizedName("ＧＡＬＡＸＹ")).isEqualTo("galaxy");
  }
}
