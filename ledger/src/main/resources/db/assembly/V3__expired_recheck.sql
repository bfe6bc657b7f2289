-- A payment that passed its local expiry is still asked about now and then (every 30 minutes by
-- default, for 48 hours after it was created), so that a late success whose callback was lost
-- still posts. Expired rows keep a next_poll_at while their re-check is open; this index serves
-- the re-check claim (status = 'EXPIRED', next_poll_at due, FOR UPDATE SKIP LOCKED).
create index payments_recheck_ix on payments (next_poll_at) where status = 'EXPIRED';

-- Payments that expired before this migration had their poll time cleared: those created in the
-- last 48 hours are re-checked once more from now on (the claim ends each at its window).
-- [jooq ignore start]
update payments
   set next_poll_at = current_timestamp
 where status = 'EXPIRED'
   and next_poll_at is null
   and created_at > current_timestamp - interval '48 hours';
-- [jooq ignore stop]
