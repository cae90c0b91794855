-- Where each projection version is in the log, written in the transaction of its read-model changes.
CREATE TABLE projection_checkpoints (
    name       text        NOT NULL,
    version    integer     NOT NULL,
    tx_id      bigint      NOT NULL,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);
