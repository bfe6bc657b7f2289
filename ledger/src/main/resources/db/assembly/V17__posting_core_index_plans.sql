-- The posting core finds every row it touches through an index, whatever the planner believed
-- when the session's plan was made (D242). PL/pgSQL keeps a generic plan per session once it looks
-- no dearer than planning afresh; for a new assembly that plan can scan payments sequentially
-- (the table is tiny), and it is replaced only when statistics change, which with autovacuum off
-- or behind is never. Measured: one sequential scan of payments per batch, so every posting grew
-- slower as the assembly aged (LedgerBenchmark, 1 poster: 185 postings/s before, 528 after).
-- Every statement in ledger_post_batch is a keyed lookup or a keyed write, so none loses by this.
-- [jooq ignore start]
alter function ledger_post_batch(text[], uuid[], bigint[], text[], text[], text[], bigint[],
  bigint[], bigint[], timestamp with time zone, date, integer, text)
  set enable_seqscan = off;
-- [jooq ignore stop]
