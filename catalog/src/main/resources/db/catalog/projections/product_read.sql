-- The catalog's read model (seed 000 §6.2), one generation of projection product_read. Denormalized:
-- a product row carries its store's name and its category's path, rewritten when those are renamed.
CREATE TABLE store_read (
    store_id text PRIMARY KEY,
    name     text NOT NULL
);

CREATE TABLE category_read (
    category_id text    PRIMARY KEY,
    name        text    NOT NULL,
    parent_id   text,
    path        text    NOT NULL,   -- 전자제품 > 모바일 > 스마트폰
    depth       integer NOT NULL
);
CREATE INDEX category_read_parent_idx ON category_read (parent_id);

CREATE TABLE product_read (
    product_id        text        PRIMARY KEY,
    store_id          text        NOT NULL,
    store_name        text,
    category_id       text        NOT NULL,
    category_path     text,
    category_depth    integer,
    name              text        NOT NULL,
    description       text,
    thumbnail_url     text,
    primary_image_url text,
    detail_image_urls text[]      NOT NULL DEFAULT '{}',
    images            jsonb       NOT NULL DEFAULT '[]',
    tags              text[]      NOT NULL DEFAULT '{}',   -- trimmed, each once whatever its case
    keywords          text[]      NOT NULL DEFAULT '{}',   -- search keywords, the same
    price             bigint      NOT NULL,
    original_price    bigint      NOT NULL,   -- the price it was registered at
    is_sale           boolean     NOT NULL DEFAULT false,   -- sold below the original price
    stock             bigint      NOT NULL,
    status            text        NOT NULL,   -- ACTIVE, HIDDEN, DELETED
    hidden_at         timestamptz,
    review_count      integer     NOT NULL DEFAULT 0,
    rating_sum        bigint      NOT NULL DEFAULT 0,
    average_rating    numeric(3, 2) NOT NULL DEFAULT 0,
    order_count       integer     NOT NULL DEFAULT 0,   -- orders placed with it, less those rejected, cancelled, expired
    last_ordered_at   timestamptz,
    version           bigint      NOT NULL,
    position          bigint      NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    search_vector     tsvector    NOT NULL    -- name, description, tags and keywords, set when they change
                                              -- (not a generated column: that is recomputed on every update)
) WITH (fillfactor = 70);   -- room on the page: a stock change is a HOT update, no index touched
CREATE INDEX product_read_store_idx ON product_read (store_id);
CREATE INDEX product_read_category_idx ON product_read (category_id);
CREATE INDEX product_read_name_trgm ON product_read USING gin (name gin_trgm_ops);
CREATE INDEX product_read_search ON product_read USING gin (search_vector);
-- keyset paging: a B-tree per sort, the id breaking ties. Not on order_count: an order would then
-- touch every index of the row (no HOT update); the popular sort sorts the filtered rows instead.
CREATE INDEX product_read_newest ON product_read (status, created_at DESC, product_id DESC);
CREATE INDEX product_read_price ON product_read (status, price, product_id);
CREATE INDEX product_read_rating ON product_read (status, average_rating DESC, product_id DESC);

-- The products each order counted in order_count, until the order ends (uncounted) or ships (counted for
-- good): an order's end uncounts exactly what its placing counted, once.
CREATE TABLE product_read_order (
    order_id   text NOT NULL,
    product_id text NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

-- A product's reviews, from ReviewAdded: newest first is highest version first (a stream's order).
CREATE TABLE product_review (
    product_id text        NOT NULL,
    version    bigint      NOT NULL,   -- the ReviewAdded's version in the product's stream
    position   bigint      NOT NULL,
    rating     smallint    NOT NULL,
    comment    text,
    actor      text,                   -- who wrote it (the event's X-User-Id)
    created_at timestamptz NOT NULL,
    PRIMARY KEY (product_id, version)   -- also the keyset index of the pages, read backwards
);
