-- Who did what (GET /api/v1/actors/{id}/history): one actor's events in log order, without a scan.
CREATE INDEX events_actor_idx ON events ((metadata ->> 'actor'), tx_id, global_position);
