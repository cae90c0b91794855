-- Values one stream at a time may hold (a product name within a store), claimed and released in
-- the transaction of the append that needs them.
CREATE TABLE unique_keys (
    scope     text NOT NULL,
    value     text NOT NULL,
    stream_id text NOT NULL,
    PRIMARY KEY (scope, value)
);

-- The command log: every command that succeeded, written in the transaction of its append, and
-- the commands accepted but not yet done (asynchronous ones, and those holding an
-- Idempotency-Key while they run).
CREATE TABLE commands (
    command_id       uuid        PRIMARY KEY,
    idempotency_key  text        UNIQUE,
    fingerprint      text,
    command_type     text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    -- what an asynchronous command needs to run after a restart
    aggregate_id     text,
    payload          jsonb,
    metadata         jsonb,
    expected_version bigint,
    -- the answer, kept as the exact bytes first sent so a replay is identical
    status_code      integer,
    result           text,
    location         text,
    problem          text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    expires_at       timestamptz NOT NULL DEFAULT now() + interval '24 hours'
);

CREATE INDEX commands_pending_idx ON commands (created_at) WHERE status = 'PENDING';
CREATE INDEX commands_expires_idx ON commands (expires_at);
