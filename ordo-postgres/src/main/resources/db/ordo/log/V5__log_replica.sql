-- A log that replicates other services' logs, fed from Kafka (distributed mode): where the replica
-- stands in its source (a position the source defines, e.g. offsets per partition), moved in the
-- transaction of the events it appended, and the records it could not take.
CREATE TABLE replica_checkpoints (
  name       text PRIMARY KEY,
  position   text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE replica_dead_letters (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  position    text NOT NULL,             -- the replica's position once past the event
  source_position bigint NOT NULL,       -- the event's position in the log of the service that wrote it
  event_id    uuid NOT NULL,
  stream_id   text NOT NULL,
  event_type  text NOT NULL,
  error       text NOT NULL,
  attempts    int NOT NULL,
  blocking    boolean NOT NULL,
  state       text NOT NULL DEFAULT 'PARKED',
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  UNIQUE (name, event_id)
);
