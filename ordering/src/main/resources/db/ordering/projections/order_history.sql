-- Projection order_history: every event of an order's stream, and of its dispatch's and its
-- delivery's, as an audit row (who, when, what), in log order.
CREATE TABLE order_audit (
    order_id       text        NOT NULL,
    position       bigint      NOT NULL,
    stream_id      text        NOT NULL,
    stream_type    text        NOT NULL,   -- order, dispatch, delivery
    version        bigint      NOT NULL,   -- in its stream
    event_type     text        NOT NULL,
    summary        text        NOT NULL,
    data           jsonb       NOT NULL,
    actor          text,
    command_id     text,
    correlation_id text,
    occurred_at    timestamptz NOT NULL,
    PRIMARY KEY (order_id, position)
);

-- The order of a dispatch or a delivery, for their events that do not name it.
CREATE TABLE order_audit_stream (
    stream_id text PRIMARY KEY,
    order_id  text NOT NULL
);
