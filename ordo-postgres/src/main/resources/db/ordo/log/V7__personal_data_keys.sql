-- The keys personal data is sealed with, one per data subject (a customer): forgetting a subject
-- deletes its row, and every value sealed with the key (in the log, its replicas, Kafka, backups)
-- becomes unreadable at once (crypto-shredding). The key id is what a sealed value names.
CREATE TABLE personal_data_keys (
  key_id     uuid PRIMARY KEY,
  subject    text NOT NULL UNIQUE,
  key        bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
