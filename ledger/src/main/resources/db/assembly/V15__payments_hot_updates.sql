-- Let the move INITIATED -> PENDING (one per mobile-money payment, markPending) be a HOT update
-- (heap-only: no new index entries, less WAL), see D215; the model is V14 (D200). PostgreSQL can
-- update a row in place on its page only when no column that an index reads (as a key or in a
-- partial index's predicate) changes, and the page has room. Before this migration status was a
-- key of payments_status_created_ix and in the predicates of payments_due_ix and
-- payments_recheck_ix, so every status change wrote a new entry into all eight payment indexes.
--
-- The indexes now read one generated column, phase: OPEN while the payment waits for its provider
-- (INITIATED or PENDING), else the status itself. INITIATED -> PENDING leaves phase OPEN, so nothing
-- an index reads changes. The settlement (OPEN -> SUCCESSFUL) stays a normal update: the payment
-- must leave the due index then, so some indexed column has to change (D215 says why a separate
-- poll table was not worth it). A poll claim moves next_poll_at, the due index's key, and stays a
-- normal update too.
--
-- Also (D216): transfers_reverses_uk held a null entry for every transfer that reverses nothing
-- (every payment's); it is now a partial unique index over the reversals only, with the same name
-- and the same guarantee (a transfer is reversed at most once; nulls never conflicted).

-- [jooq ignore start]
drop index payments_due_ix;
drop index payments_recheck_ix;
drop index payments_status_created_ix;

-- Generated, so no writer can let it drift from status. (Adding it rewrites the table once.)
alter table payments
  add column phase varchar(12) generated always as (
    case when status in ('INITIATED', 'PENDING') then 'OPEN' else status end) stored;

-- Open payments whose next status check is due (Payments.claimDue).
create index payments_due_ix on payments (next_poll_at) where phase = 'OPEN';
-- Expired payments whose slow re-check is due (Payments.claimExpiredForRecheck).
create index payments_recheck_ix on payments (next_poll_at) where phase = 'EXPIRED';
-- The admin list by status (PaymentHistory.list: statuses map to phases; INITIATED and PENDING
-- share OPEN, and status itself filters between them).
create index payments_phase_created_ix on payments (phase, created_at, id);

-- Room on each page for the PENDING version (and the settlement's), so it can stay on its page.
-- New pages only; old ones fill as they are rewritten.
alter table payments set (fillfactor = 70);

alter table transfers drop constraint transfers_reverses_uk;
create unique index transfers_reverses_uk on transfers (reverses_transfer_id)
  where reverses_transfer_id is not null;
-- [jooq ignore stop]
