-- Names this log for what lives outside the database and follows it (the embedded search indexes):
-- an index built from another log (a database dropped and created again, another database at the
-- same address) is never taken for this one's.
CREATE TABLE log_identity (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO log_identity DEFAULT VALUES;
