-- Projection ordering_product: what ordering knows of the catalog's products, from the catalog's
-- events read by type name and JSON (as another service would): enough to price an order.
CREATE TABLE ordering_product (
    product_id text   PRIMARY KEY,
    store_id   text   NOT NULL,
    name       text   NOT NULL,
    price      bigint NOT NULL,
    status     text   NOT NULL   -- ACTIVE, HIDDEN, DELETED
);
