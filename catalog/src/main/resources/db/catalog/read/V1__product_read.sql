-- The catalog's read model (seed 000 §6.2), kept by ProductReadProjection. Denormalized: a product
-- row carries its store's name and its category's path, rewritten when those are renamed.
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
    product_id     text        PRIMARY KEY,
    store_id       text        NOT NULL,
    store_name     text,
    category_id    text        NOT NULL,
    category_path  text,
    category_depth integer,
    name           text        NOT NULL,
    description    text,
    thumbnail_url  text,
    images         jsonb       NOT NULL DEFAULT '[]',
    price          bigint      NOT NULL,
    stock          bigint      NOT NULL,
    status         text        NOT NULL,
    review_count   integer     NOT NULL DEFAULT 0,
    rating_sum     bigint      NOT NULL DEFAULT 0,
    version        bigint      NOT NULL,
    position       bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX product_read_store_idx ON product_read (store_id);
CREATE INDEX product_read_category_idx ON product_read (category_id);
