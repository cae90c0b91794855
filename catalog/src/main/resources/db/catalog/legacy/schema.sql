-- The legacy catalog the import reads (seed 000 §6.1, the write model before CQRS). p_product and
-- p_product_image are the seed's; p_store, p_category and p_review are ours, in the same style (the
-- seed names them but shows no table), and p_product_tag is optional (the seed's read model has
-- tags, its write model none). Ids may be UUIDs (kept as stream ids) or integers or text (stream
-- ids derived from them). Soft-deleted images and reviews (deleted_at set) are not imported.
CREATE TABLE p_store (
    id         UUID PRIMARY KEY,
    store_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

CREATE TABLE p_category (
    id            UUID PRIMARY KEY,
    parent_id     UUID REFERENCES p_category(id),
    category_name TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at    TIMESTAMPTZ
);

CREATE TABLE p_product (
    id UUID PRIMARY KEY,
    store_id UUID NOT NULL,
    store_name TEXT NOT NULL,
    category_id UUID NOT NULL,
    product_name TEXT NOT NULL,
    status TEXT NOT NULL,             -- ON_SALE, OFF_SHELF
    price NUMERIC(12,2) NOT NULL,
    stock_quantity INT NOT NULL,
    thumbnail_url TEXT,
    description TEXT,
    hidden_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

CREATE TABLE p_product_image (
    id UUID PRIMARY KEY,
    product_id UUID NOT NULL REFERENCES p_product(id),
    image_type TEXT NOT NULL,         -- PRIMARY, DETAIL
    image_url TEXT NOT NULL,
    display_order INT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);
CREATE INDEX p_product_image_product_idx ON p_product_image (product_id);

CREATE TABLE p_review (
    id         UUID PRIMARY KEY,
    product_id UUID NOT NULL REFERENCES p_product(id),
    user_id    UUID NOT NULL,
    rating     INT NOT NULL,          -- 1..5
    content    TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);
CREATE INDEX p_review_product_idx ON p_review (product_id);

CREATE TABLE p_product_tag (
    product_id UUID NOT NULL REFERENCES p_product(id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);
