-- Projection product_history: every product event as an audit row (seed 000 §1.3 ProductAudit)
-- and the price history.
CREATE TABLE product_audit (
    product_id     text        NOT NULL,
    version        bigint      NOT NULL,
    position       bigint      NOT NULL,
    event_type     text        NOT NULL,
    status         text        NOT NULL,   -- the product's status after the event
    change_summary text        NOT NULL,
    data           jsonb       NOT NULL,
    actor          text,
    command_id     text,
    correlation_id text,
    occurred_at    timestamptz NOT NULL,
    PRIMARY KEY (product_id, version)
);

CREATE TABLE product_price_history (
    product_id text        NOT NULL,
    version    bigint      NOT NULL,
    position   bigint      NOT NULL,
    old_price  bigint,
    new_price  bigint      NOT NULL,
    reason     text,
    actor      text,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (product_id, version)
);
