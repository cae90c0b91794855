-- The catalog's projected tables now live in one schema per projection generation and are read
-- through views of the same names (ordo-postgres ProjectionHost); the tables V1 made in public go.
DROP TABLE IF EXISTS product_read;
DROP TABLE IF EXISTS category_read;
DROP TABLE IF EXISTS store_read;

-- Trigram similarity for typo-tolerant search (pg_trgm is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- Every search, for popular search terms (seed 000 §6.2). Written by the search endpoint, not
-- projected: it records reads, which the log does not hold.
CREATE TABLE product_search_log (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      text,
    search_query text        NOT NULL,   -- as typed, trimmed
    normalized   text        NOT NULL,   -- lower case, single spaces: what popularity counts
    result_count integer     NOT NULL,
    searched_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_search_log_time ON product_search_log (searched_at DESC);
CREATE INDEX product_search_log_normalized ON product_search_log (normalized text_pattern_ops);
