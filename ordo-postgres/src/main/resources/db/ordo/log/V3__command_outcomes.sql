-- The command log keeps outcomes, not HTTP answers: a success's version and position and whether it
-- created its aggregate; a failure's problem document (which holds its own status). The answer is
-- rendered from these, the same bytes every time.
ALTER TABLE commands
    ADD COLUMN version  bigint,
    ADD COLUMN position bigint,
    ADD COLUMN created  boolean;

UPDATE commands
   SET version  = (result::jsonb ->> 'version')::bigint,
       position = (result::jsonb ->> 'position')::bigint,
       created  = status_code = 201
 WHERE status = 'SUCCEEDED';

ALTER TABLE commands
    DROP COLUMN status_code,
    DROP COLUMN result,
    DROP COLUMN location;
