-- Projection payment_deadline: the orders still waiting for their payment, by when it is due.
CREATE TABLE payment_deadline (
    order_id text        PRIMARY KEY,
    due_at   timestamptz NOT NULL
);
CREATE INDEX payment_deadline_due ON payment_deadline (due_at);
