-- The correlation id of the trader's action that started a payment (the USSD hop's id), so that
-- the provider request, the callback, the status checks and the settlement, on any node and at
-- any later time, log under the same id, and the receipt SMS it queues carries it on. Null for
-- older rows and for payments started outside a correlated action. sms_outbox.correlation_id
-- already exists (V1) and holds the same id for rows queued inside a correlated action.
alter table payments add column correlation_id varchar(64);
