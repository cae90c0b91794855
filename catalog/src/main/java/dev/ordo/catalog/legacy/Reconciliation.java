package dev.ordo.catalog.legacy;

/**
 * The source against what the import wrote: its counts and sums, the same folded from the log
 * (every source record's stream read back and folded through the catalog's deciders), and the same
 * in {@code product_read} once it has applied the import's last event.
 *
 * @param readModel      null when product_read did not catch up in time, or is not kept here
 * @param matches        the source, the log and the read model all agree
 * @param readModelNote  why there is no read-model figure, or null
 */
record Reconciliation(Figures source, Figures log, Figures readModel, boolean logMatches, Boolean readModelMatches,
    boolean matches, String readModelNote) {

  /** {@code matches}: the source, the log and the read model all agree. */
  static Reconciliation of(Figures source, Figures log, Figures readModel, String readModelNote) {
    boolean logMatches = source.equals(log);
    Boolean readModelMatches = readModel == null ? null : source.equals(readModel);
    return new Reconciliation(source, log, readModel, logMatches, readModelMatches,
        logMatches && Boolean.TRUE.equals(readModelMatches), readModelNote);
  }

  /** Counts and sums: prices in won, rounded as the import rounds them; images and reviews not deleted. */
  record Figures(long stores, long categories, long products, long images, long reviews, long priceSum,
      long stockSum, long ratingSum) {

    static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0);

    Figures plus(Figures o) {
      return new Figures(stores + o.stores, categories + o.categories, products + o.products, images + o.images,
          reviews + o.reviews, priceSum + o.priceSum, stockSum + o.stockSum, ratingSum + o.ratingSum);
    }
  }
}
