-- A projection lives in generations: each is one build of one version of the projection, with its
-- tables in a schema of its own (<name>_g<generation>) and its checkpoint in its row here, moved in
-- the transaction of its changes. The ACTIVE generation answers queries through views in public;
-- a BUILDING one catches up beside it and takes over atomically (blue/green); a RETIRED one is
-- dropped.
DROP TABLE projection_checkpoints;

CREATE TABLE projection_generations (
    name        text        NOT NULL,
    generation  integer     NOT NULL,
    version     integer     NOT NULL,
    state       text        NOT NULL CHECK (state IN ('BUILDING', 'ACTIVE', 'RETIRED')),
    tx_id       bigint      NOT NULL DEFAULT 0,
    position    bigint      NOT NULL DEFAULT 0,
    applied     bigint      NOT NULL DEFAULT 0,   -- events this generation has applied
    started_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    switched_at timestamptz,
    PRIMARY KEY (name, generation)
);
CREATE UNIQUE INDEX projection_generations_one_active ON projection_generations (name) WHERE state = 'ACTIVE';
CREATE UNIQUE INDEX projection_generations_one_building ON projection_generations (name) WHERE state = 'BUILDING';

-- Events a projection could not apply after its retries. A blocking one (policy STOP) holds its
-- generation at the event before it until it is retried or skipped.
CREATE TABLE projection_dead_letters (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL,
    generation  integer     NOT NULL,
    tx_id       bigint      NOT NULL,
    position    bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    stream_id   text        NOT NULL,
    event_type  text        NOT NULL,
    error       text        NOT NULL,
    attempts    integer     NOT NULL,
    blocking    boolean     NOT NULL,
    state       text        NOT NULL CHECK (state IN ('PARKED', 'RETRIED', 'SKIPPED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    UNIQUE (name, generation, position)
);
CREATE INDEX projection_dead_letters_parked ON projection_dead_letters (name, generation) WHERE state = 'PARKED';
