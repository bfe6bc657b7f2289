-- Let most writes to an SMS outbox row be HOT updates (heap-only: no new index entries, less WAL),
-- see D200. PostgreSQL can update a row in place on its page only when no column that an index
-- uses (as a key or in a partial index's predicate) changes. Before this migration every claim
-- (next_attempt_at), submission and delivery report (status, in the predicates of
-- sms_outbox_due_ix and sms_outbox_unknown_ix) wrote a new entry into every index of the table.
--
-- Now the partial indexes read two generated flags instead of status: a delivery report that moves
-- a row from SUBMITTED to DELIVERED leaves both flags false, so nothing an index reads changes. The
-- claim lease moves to its own, unindexed column claimed_until, so a claim changes nothing an index
-- reads either; next_attempt_at keeps the time a queued row is due (first send or retry). The
-- submission takes the row out of the queue (queued becomes false) and stays a normal update: the
-- index must stop offering the row to claims and lease sweeps once it is submitted.

-- Until when a claim holds the row (a claim no longer moves next_attempt_at). Null: never claimed,
-- or released for a retry or a re-send. A queued row is claimable when it is due and not held.
alter table sms_outbox add column claimed_until timestamp with time zone;

-- [jooq ignore start]
drop index sms_outbox_due_ix;
drop index sms_outbox_unknown_ix;

-- Copies of "status is QUEUED / UNKNOWN" that only the partial indexes below read. They are
-- generated, so no writer can let them drift from status. (Adding them rewrites the table once.)
alter table sms_outbox
  add column queued boolean generated always as (status = 'QUEUED') stored,
  add column unknown_outcome boolean generated always as (status = 'UNKNOWN') stored;

create index sms_outbox_due_ix on sms_outbox (next_attempt_at, id) where queued;
create index sms_outbox_unknown_ix on sms_outbox (unknown_since) where unknown_outcome;

-- Room on each page for the claim's and the report's row versions, so they can stay on the page
-- (a HOT update needs free space on the same page). New pages only; old ones fill as they are
-- rewritten.
alter table sms_outbox set (fillfactor = 50);
-- [jooq ignore stop]
