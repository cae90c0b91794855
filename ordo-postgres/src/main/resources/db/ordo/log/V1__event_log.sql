-- The log (ARCHITECTURE.md decision 2). One row per event; a stream is the events of one stream_id
-- ordered by stream_version, the global log is every row ordered by (tx_id, global_position).
CREATE TABLE events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    -- The writing transaction: readers deliver only rows of transactions older than every open one,
    -- so a late commit is never skipped (decision 3).
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
    stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
    stream_type     text        NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL CHECK (schema_version >= 1),
    data            jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    metadata        jsonb       NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    -- Optimistic concurrency: two writers cannot both add version n to a stream.
    CONSTRAINT events_pkey PRIMARY KEY (stream_id, stream_version),
    -- Appending an event id again is idempotent.
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_global_position_key UNIQUE (global_position)
);

-- Tailing reads (tx_id, global_position) > checkpoint in that order.
CREATE INDEX events_log_order_idx ON events (tx_id, global_position);

-- The latest snapshot of each stream.
CREATE TABLE snapshots (
    stream_id      text        PRIMARY KEY,
    stream_version bigint      NOT NULL,
    schema_version integer     NOT NULL,
    state          jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
