package dev.ordo.catalog.legacy;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand.CreateCategory;
import dev.ordo.catalog.legacy.ImportEvent.Rejection;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.product.ProductCommand.AddReview;
import dev.ordo.catalog.product.ProductCommand.DeleteProduct;
import dev.ordo.catalog.product.ProductCommand.HideProduct;
import dev.ordo.catalog.product.ProductCommand.RegisterProduct;
import dev.ordo.catalog.product.ProductImage;
import dev.ordo.catalog.product.ProductStatus;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand.RegisterStore;
import dev.ordo.command.AggregateType;
import dev.ordo.command.CommandException;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.UniqueKey;
import dev.ordo.spring.problem.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A legacy row as the events the catalog's commands would have appended for it: each command
 * through its shape checks and its decider, on the state folded from the events before it, so
 * the stream is one the catalog could have written. Each event keeps the row's time (never
 * earlier than the event before it) and names the row it came from ({@code importedFrom}), under
 * an id derived from that row: appending it again, in a re-run or a resumed one, changes nothing.
 *
 * <p>A product's history is what its row still tells: registered at {@code created_at} with its
 * price, stock, images and tags of today, its reviews at theirs, hidden at {@code hidden_at} (or
 * {@code updated_at} when only its status says it is off the shelf), deleted last, at
 * {@code deleted_at}. Rules that span aggregates (the store and category exist, a name is free
 * in its store) are the caller's, which can look them up.
 */
final class ImportedStreams {

  /** Who the imported events say asked for them. */
  static final String ACTOR = "import";

  /** A row the catalog's rules refuse as a whole. */
  static final class Rejected extends Exception {
    final Rejection rejection;

    Rejected(String record, String reason) {
      super(record + ": " + reason, null, false, false);
      this.rejection = new Rejection(record, reason);
    }
  }

  /**
   * One stream to append and the state its events fold to.
   *
   * @param rejected parts of the row refused while the rest imports (a review out of range)
   */
  record Imported<S>(AppendRequest request, S state, List<Rejection> rejected) {

    String streamId() {
      return request.streamId();
    }
  }

  private final Consumer<Object> shapes;
  private final EventMetadata metadata;

  /**
   * @param shapes   the commands' shape checks (their Bean Validation annotations), throwing
   *                 {@link InvalidInputException} as the command endpoint's would
   * @param importId the run, recorded as the events' correlation id
   */
  ImportedStreams(Consumer<Object> shapes, String importId) {
    this.shapes = shapes;
    this.metadata = new EventMetadata(importId, null, ACTOR, null);
  }

  /**
   * The stream id of a legacy row: its id when that is a UUID, else a UUID derived from its table and
   * id; the same on every run.
   */
  static String streamId(String table, String legacyId) {
    if (legacyId.length() == 36) {
      try {
        String uuid = UUID.fromString(legacyId).toString();
        if (uuid.equalsIgnoreCase(legacyId)) {
          return uuid;
        }
      } catch (IllegalArgumentException notAUuid) {
        // derived below
      }
    }
    return nameUuid("stream:" + table + "/" + legacyId).toString();
  }

  /** An event's id from what it records ({@code p_product/<id>#hidden}): the same on every run. */
  static UUID eventId(String what) {
    return nameUuid("event:" + what);
  }

  private static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(("ordo-legacy-import:" + name).getBytes(StandardCharsets.UTF_8));
  }

  Imported<Store> store(LegacyCatalog.Store row) throws Rejected {
    String record = "p_store/" + row.id();
    String id = streamId("p_store", row.id());
    List<NewEvent> events = new ArrayList<>(1);
    Store state = decide(CatalogTypes.STORE, record, new RegisterStore(id, row.name()), Store.NONE, record,
        row.createdAt(), events);
    return new Imported<>(AppendRequest.of(id, CatalogTypes.STORE.streamType(), ExpectedVersion.noStream(), events),
        state, List.of());
  }

  Imported<Category> category(LegacyCatalog.Category row) throws Rejected {
    String record = "p_category/" + row.id();
    String id = streamId("p_category", row.id());
    String parent = row.parentId() == null ? null : streamId("p_category", row.parentId());
    List<NewEvent> events = new ArrayList<>(1);
    Category state = decide(CatalogTypes.CATEGORY, record, new CreateCategory(id, row.name(), parent),
        Category.NONE, record, row.createdAt(), events);
    return new Imported<>(AppendRequest.of(id, CatalogTypes.CATEGORY.streamType(), ExpectedVersion.noStream(),
        events), state, List.of());
  }

  /**
   * The name the product will hold in its store once imported (the key its registration claims), or
   * null when it holds none (deleted) or has no name to hold: cheap, for checks in page order.
   */
  static UniqueKey nameKey(LegacyCatalog.Product row) {
    if (row.name() == null || row.name().isBlank() || row.deletedAt() != null || is(row.status(), "DELETED")) {
      return null;
    }
    var named = new Product("-", streamId("p_store", row.storeId()), null, row.name().strip(), null, null, List.of(),
        List.of(), List.of(), 0, 0, ProductStatus.ACTIVE, 0, 0, Map.of());
    return CatalogTypes.PRODUCT.uniqueKeys().apply(named).stream().findFirst().orElse(null);
  }

  /** Registered, then its reviews and its hiding in time order, then its deletion. */
  Imported<Product> product(LegacyCatalog.Product row) throws Rejected {
    String record = "p_product/" + row.id();
    String id = streamId("p_product", row.id());
    var register = new RegisterProduct(id, streamId("p_store", row.storeId()), streamId("p_category", row.categoryId()),
        row.name(), row.price(), row.stock(), row.thumbnailUrl(), row.description(), images(record, row.images()),
        row.tags(), null);
    List<NewEvent> events = new ArrayList<>(2 + row.reviews().size());
    Instant at = row.createdAt();
    Product state = decide(CatalogTypes.PRODUCT, record, register, Product.NONE, record, at, events);

    record Step(Instant at, String record, String event, ProductCommand command) {}
    List<Step> steps = new ArrayList<>(row.reviews().size() + 1);
    for (LegacyCatalog.Review review : row.reviews()) {
      String reviewRecord = "p_review/" + review.id();
      steps.add(new Step(review.createdAt(), reviewRecord, reviewRecord,
          new AddReview(id, review.rating(), review.content())));
    }
    if (row.hiddenAt() != null || is(row.status(), "OFF_SHELF", "HIDDEN")) {
      steps.add(new Step(row.hiddenAt() != null ? row.hiddenAt() : row.updatedAt(), record, record + "#hidden",
          new HideProduct(id)));
    }
    steps.sort(Comparator.comparing(Step::at, Comparator.nullsLast(Comparator.naturalOrder())));
    if (row.deletedAt() != null || is(row.status(), "DELETED")) {
      steps.add(new Step(row.deletedAt() != null ? row.deletedAt() : row.updatedAt(), record, record + "#deleted",
          new DeleteProduct(id, null)));
    }
    List<Rejection> rejected = new ArrayList<>(0);
    for (Step step : steps) {
      at = step.at() == null || step.at().isBefore(at) ? at : step.at();
      try {
        state = decide(CatalogTypes.PRODUCT, step.record(), step.command(), state, step.event(), at, events);
      } catch (Rejected e) {
        if (!(step.command() instanceof AddReview)) {
          throw e;
        }
        rejected.add(e.rejection); // a review refused; the product and its other reviews import
      }
    }
    return new Imported<>(new AppendRequest(id, CatalogTypes.PRODUCT.streamType(), ExpectedVersion.noStream(), events,
        CatalogTypes.PRODUCT.uniqueKeys().apply(state), Set.of(), null), state, rejected);
  }

  /**
   * Checks the command's shape, decides it on {@code state}, and adds its events (the event key
   * numbered after the first) at {@code at}; returns the state they fold to.
   */
  private <C, S, E> S decide(AggregateType<C, S, E> type, String record, C command, S state, String eventKey,
      Instant at, List<NewEvent> events) throws Rejected {
    List<E> decided;
    try {
      shapes.accept(command);
      decided = type.decider().decide(command, state);
    } catch (InvalidInputException e) {
      throw new Rejected(record, "invalid: " + e.getMessage());
    } catch (CommandException.RuleBroken e) {
      throw new Rejected(record, e.rule() + ": " + e.getMessage());
    } catch (CommandException e) {
      throw new Rejected(record, e.getMessage());
    }
    EventMetadata from = metadata.withImportedFrom(record);
    for (int i = 0; i < decided.size(); i++) {
      E event = decided.get(i);
      NewEvent encoded = type.codec().encode(event, from);
      events.add(new NewEvent(eventId(i == 0 ? eventKey : eventKey + "#" + i), encoded.type(), encoded.schemaVersion(),
          encoded.data(), from, at));
      state = type.decider().evolve(state, event);
    }
    return state;
  }

  private static List<ProductImage> images(String record, List<LegacyCatalog.Image> rows) throws Rejected {
    List<ProductImage> images = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      LegacyCatalog.Image row = rows.get(i);
      ProductImage.ImageType type;
      try {
        type = ProductImage.ImageType.valueOf(row.imageType() == null ? "" : row.imageType().strip()
            .toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Rejected(record, "invalid: images[" + i + "].imageType " + row.imageType()
            + " is neither PRIMARY nor DETAIL (p_product_image/" + row.id() + ")");
      }
      images.add(new ProductImage(type, row.imageUrl(), row.displayOrder()));
    }
    return images;
  }

  private static boolean is(String status, String... values) {
    if (status == null) {
      return false;
    }
    for (String value : values) {
      if (value.equalsIgnoreCase(status.strip())) {
        return true;
      }
    }
    return false;
  }
}
