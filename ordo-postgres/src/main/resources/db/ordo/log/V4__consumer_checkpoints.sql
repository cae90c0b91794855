-- Where consumers whose effect lies outside this database stand (processes, relays), and the
-- events they parked. Read models keep theirs in the read database, with their effect.
CREATE TABLE consumer_checkpoints (
  name       text PRIMARY KEY,
  tx_id      bigint NOT NULL,
  position   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consumer_dead_letters (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  tx_id       bigint NOT NULL,
  position    bigint NOT NULL,
  event_id    uuid NOT NULL,
  stream_id   text NOT NULL,
  event_type  text NOT NULL,
  error       text NOT NULL,
  attempts    int NOT NULL,
  blocking    boolean NOT NULL,
  state       text NOT NULL DEFAULT 'PARKED',
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  UNIQUE (name, position)
);
