-- SMS outcomes the gateway cannot know, submit attempts per row, and inbound recovery.
--
-- UNKNOWN: a submit_sm was written but its outcome never came (submit_sm_resp timed out, the
-- connection dropped after the write). The SMS may have reached the phone, so it is neither
-- re-sent at once nor counted as sent: a late delivery report settles it, and after a quiet period
-- it may be re-sent once with the same content (see resends and D111).
alter table sms_outbox drop constraint sms_outbox_status_ck;
alter table sms_outbox add constraint sms_outbox_status_ck
  check (status in ('QUEUED', 'SUBMITTED', 'UNKNOWN', 'DELIVERED', 'UNDELIVERABLE', 'EXPIRED', 'FAILED'));

-- attempts counts claims (leases); submit_attempts counts submit_sm rounds that reached an SMSC.
alter table sms_outbox add column submit_attempts integer not null default 0;
alter table sms_outbox add column last_attempt_at timestamp with time zone;
-- Since when the outcome is unknown, and how often the row was re-sent after a quiet period.
alter table sms_outbox add column unknown_since timestamp with time zone;
alter table sms_outbox add column resends integer not null default 0;
alter table sms_outbox add constraint sms_outbox_submit_attempts_ck check (submit_attempts >= 0 and resends >= 0);

create index sms_outbox_unknown_ix on sms_outbox (unknown_since) where status = 'UNKNOWN';

-- Inbound messages stored but not yet handled are picked up again; each pick-up takes a lease.
alter table sms_inbound add column handling_attempts integer not null default 0;
alter table sms_inbound add column handle_after timestamp with time zone;
alter table sms_inbound add column last_error varchar(300);

create index sms_inbound_unhandled_ix on sms_inbound (received_at) where processed_at is null;

-- Delivery reports find their row through sms_message_ids since V4; this GIN index is read by
-- nothing and every submission paid for maintaining it (D110).
drop index if exists sms_outbox_message_ids_ix;
