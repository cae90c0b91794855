-- Projection order_read (seed 004 §2 OrderReadModel, seed 003 §4 the read-model service): one row
-- per order, dispatch and delivery, and per-day figures for the dashboard, kept from the order,
-- dispatch and delivery events.

-- trigram search over the orders (trusted; the catalog's read migrations make it too)
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE order_read (
    order_id           text        PRIMARY KEY,
    user_id            text        NOT NULL,
    items              jsonb       NOT NULL,   -- [{productId, productName, storeId, unitPrice, quantity, lineTotal}]
    item_count         integer     NOT NULL,   -- the sum of the quantities
    total_amount       bigint      NOT NULL,
    status             text        NOT NULL,   -- OrderStatus
    payment_status     text        NOT NULL DEFAULT 'UNPAID',   -- UNPAID, PAID, REFUNDED
    payment_method     text,
    paid_amount        bigint,
    refunded_amount    bigint,
    payment_due_at     timestamptz NOT NULL,
    shipping_address   jsonb       NOT NULL,   -- {recipient, phone, address, zipCode, express}
    tracking_number    text,
    estimated_delivery date        NOT NULL,   -- the Seoul day it was placed, + 2 days express, else + 5
    placed_day         date        NOT NULL,   -- the Seoul day it was placed: its dashboard day
    placed_at          timestamptz NOT NULL,
    reserved_at        timestamptz,
    rejected_at        timestamptz,
    reject_reason      text,
    rejected_product_id text,
    approved_at        timestamptz,
    paid_at            timestamptz,
    shipped_at         timestamptz,
    delivered_at       timestamptz,
    cancelled_at       timestamptz,
    cancel_reason      text,
    refunded_at        timestamptz,
    expired_at         timestamptz,
    dispatch_id        text,
    delivery_id        text,
    version            bigint      NOT NULL,   -- the order stream's
    position           bigint      NOT NULL,   -- of the last order event applied
    updated_at         timestamptz NOT NULL,
    search_text        text        NOT NULL    -- lower case: ids, product names, recipient, address, tracking number
) WITH (fillfactor = 80);
-- keyset paging, newest first: by user, by status, all; the id breaks ties
CREATE INDEX order_read_user ON order_read (user_id, placed_at DESC, order_id DESC);
CREATE INDEX order_read_status ON order_read (status, placed_at DESC, order_id DESC);
CREATE INDEX order_read_placed ON order_read (placed_at DESC, order_id DESC);
CREATE INDEX order_read_search ON order_read USING gin (search_text gin_trgm_ops);

CREATE TABLE dispatch_read (
    dispatch_id    text        PRIMARY KEY,
    order_id       text        NOT NULL,
    status         text        NOT NULL,   -- DispatchStatus
    rider_id       text,
    delivery_id    text,
    declines       integer     NOT NULL DEFAULT 0,
    decline_reason text,                   -- the last one
    opened_at      timestamptz NOT NULL,
    assigned_at    timestamptz,
    accepted_at    timestamptz,
    picked_up_at   timestamptz,
    cancelled_at   timestamptz,
    cancel_reason  text,
    version        bigint      NOT NULL,
    position       bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- A location update, the most frequent event of the system, is one UPDATE of this narrow row by
-- its key; no index holds the columns it changes, so it is a HOT update.
CREATE TABLE delivery_read (
    delivery_id     text        PRIMARY KEY,
    order_id        text        NOT NULL,
    dispatch_id     text        NOT NULL,
    rider_id        text,
    status          text        NOT NULL,   -- DeliveryStatus
    started_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    last_lat        double precision,
    last_lon        double precision,
    last_located_at timestamptz,
    version         bigint      NOT NULL,
    position        bigint      NOT NULL,
    updated_at      timestamptz NOT NULL
) WITH (fillfactor = 50);

-- The dashboard's figures per Seoul calendar day. Orders and their statuses count on the day the
-- order was placed; payments, refunds and products sold on the day the money moved.
CREATE TABLE order_day (
    day             date   PRIMARY KEY,
    placed_orders   bigint NOT NULL DEFAULT 0,
    placed_amount   bigint NOT NULL DEFAULT 0,
    paid_orders     bigint NOT NULL DEFAULT 0,
    paid_amount     bigint NOT NULL DEFAULT 0,
    refunded_orders bigint NOT NULL DEFAULT 0,
    refunded_amount bigint NOT NULL DEFAULT 0
);

-- The orders placed on a day, by the status each stands in now.
CREATE TABLE order_day_status (
    day    date   NOT NULL,
    status text   NOT NULL,
    orders bigint NOT NULL,
    PRIMARY KEY (day, status)
);

-- Products paid for on a day, less those refunded that day.
CREATE TABLE order_day_product (
    day          date   NOT NULL,
    product_id   text   NOT NULL,
    product_name text   NOT NULL,   -- as ordered
    quantity     bigint NOT NULL,
    revenue      bigint NOT NULL,
    PRIMARY KEY (day, product_id)
);
