-- The posting core lives in the database (D100): allocation to charges, receipt numbers and the
-- posting of a whole batch of mobile-money settlements and cash payments in one call. Every money
-- path (mobile money, cash, reversal, accrual's use of credit) allocates through ledger_rebalance,
-- so the allocation rules exist once.
-- [jooq ignore start]

-- What matching a trader's money to their charges did.
create type ledger_rebalance_result as (
  allocated    bigint,
  items        text[],
  open_after   bigint,
  credit_after bigint
);

-- Makes the trader's charges agree with their account: credit (money in but not yet allocated)
-- pays the oldest open charges; a negative credit (after a reversal) reopens the newest paid
-- charges. The trader's account row must already be locked by this transaction.
create function ledger_rebalance(p_trader bigint, p_account bigint, p_transfer bigint)
returns ledger_rebalance_result language plpgsql set search_path from current as $$
declare
  v_balance  bigint;
  v_open_sum bigint := 0;
  v_credit   bigint;
  v_left     bigint;
  v_need     bigint;
  v_take     bigint;
  v_alloc    bigint := 0;
  v_items    text[] := '{}';
  v_ids      bigint[] := '{}';
  v_owed     bigint[] := '{}';
  v_kinds    text[] := '{}';
  c          record;
  i          integer;
  r          ledger_rebalance_result;
begin
  select balance_pesewas into strict v_balance from accounts where id = p_account;
  for c in
    select id, item, amount_pesewas - paid_pesewas as owed
      from charges
     where trader_id = p_trader and status = 'OPEN'
     order by due_date, id
       for update
  loop
    v_ids := v_ids || c.id;
    v_owed := v_owed || c.owed;
    v_kinds := v_kinds || c.item::text;
    v_open_sum := v_open_sum + c.owed;
  end loop;
  v_credit := v_open_sum - v_balance;
  if v_credit > 0 and v_open_sum > 0 then
    v_left := least(v_credit, v_open_sum);
    for i in 1 .. coalesce(array_length(v_ids, 1), 0) loop
      exit when v_left = 0;
      v_take := least(v_left, v_owed[i]);
      v_left := v_left - v_take;
      v_alloc := v_alloc + v_take;
      if not (v_kinds[i] = any (v_items)) then
        v_items := v_items || v_kinds[i];
      end if;
      update charges
         set paid_pesewas = paid_pesewas + v_take,
             status = case when paid_pesewas + v_take = amount_pesewas then 'PAID' else 'OPEN' end
       where id = v_ids[i];
      insert into allocations (charge_id, transfer_id, amount_pesewas)
      values (v_ids[i], p_transfer, v_take);
    end loop;
  elsif v_credit < 0 then
    v_need := -v_credit;
    for c in
      select id, paid_pesewas
        from charges
       where trader_id = p_trader and paid_pesewas > 0
       order by due_date desc, id desc
         for update
    loop
      exit when v_need = 0;
      v_take := least(v_need, c.paid_pesewas);
      v_need := v_need - v_take;
      v_alloc := v_alloc - v_take;
      update charges
         set paid_pesewas = paid_pesewas - v_take,
             status = case when paid_pesewas - v_take = amount_pesewas then 'PAID' else 'OPEN' end
       where id = c.id;
      insert into allocations (charge_id, transfer_id, amount_pesewas)
      values (c.id, p_transfer, -v_take);
    end loop;
  end if;
  r.allocated := v_alloc;
  r.items := v_items;
  r.open_after := v_open_sum - v_alloc;
  r.credit_after := greatest(0, r.open_after - v_balance);
  return r;
end
$$;

-- Takes back what a transfer allocated, when it is reversed.
create function ledger_undo_allocations(p_original bigint, p_reversal bigint)
returns void language plpgsql set search_path from current as $$
declare
  c      record;
  v_take bigint;
begin
  for c in
    select ch.id, ch.paid_pesewas, a.total
      from charges ch
      join (select charge_id, sum(amount_pesewas) as total
              from allocations where transfer_id = p_original group by charge_id) a
        on a.charge_id = ch.id
     order by ch.id
       for update of ch
  loop
    v_take := least(c.total, c.paid_pesewas);
    if v_take > 0 then
      update charges
         set paid_pesewas = paid_pesewas - v_take,
             status = case when paid_pesewas - v_take = amount_pesewas then 'PAID' else 'OPEN' end
       where id = c.id;
      insert into allocations (charge_id, transfer_id, amount_pesewas)
      values (c.id, p_reversal, -v_take);
    end if;
  end loop;
end
$$;

-- Six characters from a 31-letter alphabet (about 8.9e8 codes) shown as 7KQ2-9D, drawn from
-- gen_random_uuid (a strong random source) without modulo bias.
create function ledger_verification_code() returns text language plpgsql volatile
set search_path from current as $$
declare
  alphabet constant text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  b bytea;
  v text := '';
  k integer;
  x integer;
begin
  while length(v) < 6 loop
    b := uuid_send(gen_random_uuid());
    for k in 0 .. 15 loop
      continue when k in (6, 8); -- version and variant bits are not random
      x := get_byte(b, k);
      continue when x >= 248;    -- 248 = 8 * 31: keeps every letter equally likely
      v := v || substr(alphabet, x % 31 + 1, 1);
      exit when length(v) = 6;
    end loop;
  end loop;
  return substr(v, 1, 4) || '-' || substr(v, 5, 2);
end
$$;

-- One item of a posting batch, as handed back to the ledger.
create type ledger_post_result as (
  idx                 integer,
  outcome             text,
  transfer_id         bigint,
  suspense            boolean,
  receipt_number      text,
  verification_code   text,
  receipt_amount      bigint,
  issued_at           timestamp with time zone,
  allocated           bigint,
  items               text[],
  open_after          bigint,
  credit_after        bigint,
  trader_id           bigint,
  trader_name         text,
  trader_phone        text,
  trader_language     text,
  customer_number     text,
  market_name         text,
  payer_msisdn        text,
  payer_language      text,
  collector_id        bigint,
  collector_name      text,
  collector_phone     text,
  collector_staff     text,
  collector_day_total bigint
);

-- Posts a batch of mobile-money settlements (kind MOMO: reference, provider amount, provider
-- transaction id, collection shard) and cash payments (kind CASH: key, content hash, trader,
-- collector, amount) in the caller's transaction. An item that cannot post gets an outcome
-- (UNKNOWN_PAYMENT, PAYMENT_FAILED, CONFLICT, UNKNOWN_TRADER, UNKNOWN_COLLECTOR, NOT_ASSIGNED) and
-- writes nothing; REPLAY returns what was stored the first time.
--
-- Locks are taken in one fixed order, so that batches on several nodes, accrual and reversals
-- never deadlock: the batch's payment rows (by reference), then trader accounts in descending id
-- order in one statement (as the posting trigger and accrual take them), then each trader's
-- charges, then the shared accounts (collection shards, suspense, collectors' cash) in one statement, and the
-- receipt-sequence row last. Shared rows are updated once per batch and held only until commit;
-- receipt numbers are drawn once per batch for the items that posted, so they stay gapless.
create function ledger_post_batch(
  p_kind text[], p_ref uuid[], p_amount bigint[], p_txn text[], p_key text[], p_hash text[],
  p_trader bigint[], p_collector bigint[], p_shard bigint[],
  p_now timestamp with time zone, p_day date, p_year integer, p_code text)
returns setof ledger_post_result language plpgsql set search_path from current as $$
declare
  v_out       ledger_post_result[] := '{}';
  v_leg_t     bigint[] := '{}';
  v_leg_a     bigint[] := '{}';
  v_leg_m     bigint[] := '{}';
  v_receipts  integer[] := '{}';
  v_tl_t      bigint[] := '{}';
  v_tl_a      bigint[] := '{}';
  v_tl_m      bigint[] := '{}';
  k           integer;
  v_suspense_account bigint;
  it          record;
  col         record;
  r           ledger_post_result;
  rb          ledger_rebalance_result;
  v_transfer  bigint;
  v_existing  bigint;
  v_ex_hash   text;
  v_is_susp   boolean;
  v_hash      text;
  v_count     integer;
  v_last      bigint;
  v_seq       bigint;
  v_number    text;
  v_code      text;
  v_rid       bigint;
  v_total     bigint;
  v_later     bigint;
  i           integer;
  attempt     integer;
begin
  select id into strict v_suspense_account from accounts where code = 'SUSPENSE';
  perform 1 from payments where reference = any (p_ref) order by reference for update;

  -- Lateral joins kept apart by LIMIT: one index probe per item, whatever the size of the tables (a generic plan
  -- would otherwise hash-join whole tables for a batch of a few items).
  for it in
    select u.i::integer as i, u.kind, u.ref, u.amount, u.txn, u.key, u.hash, u.collector, u.shard,
           coalesce(p.trader_id, u.trader) as trader_id,
           p.id as payment_id, p.provider, p.status, p.requested,
           p.provider_amount_pesewas, p.paid_transfer, p.paid_suspense,
           p.payer_msisdn, p.payer_language,
           t.name, t.phone, t.language, t.customer_number, t.market_id, t.market_name,
           t.account_id
      from unnest(p_kind, p_ref, p_amount, p_txn, p_key, p_hash, p_trader, p_collector, p_shard)
             with ordinality as u(kind, ref, amount, txn, key, hash, trader, collector, shard, i)
      left join lateral (
             select p.id, p.trader_id, p.provider, p.status, p.amount_pesewas as requested,
                    p.provider_amount_pesewas, p.transfer_id as paid_transfer,
                    p.suspense as paid_suspense, p.payer_msisdn, p.payer_language
               from payments p
              where u.kind = 'MOMO' and p.reference = u.ref
              limit 1) p on true
      left join lateral (
             select t.name, t.phone, t.language, t.customer_number, t.market_id,
                    m.name as market_name, a.id as account_id
               from traders t
               join markets m on m.id = t.market_id
               join accounts a on a.kind = 'TRADER' and a.owner_id = t.id
              where t.id = coalesce(p.trader_id, u.trader)
              limit 1) t on true
     order by t.account_id desc nulls last, u.i
  loop
    r := null;
    r.idx := it.i;
    r.suspense := false;
    v_existing := null;
    if it.kind = 'MOMO' then
      if it.payment_id is null then
        r.outcome := 'UNKNOWN_PAYMENT';
      elsif it.status = 'SUCCESSFUL' then
        if it.provider_amount_pesewas is distinct from it.amount then
          r.outcome := 'CONFLICT';
        else
          r.outcome := 'REPLAY';
          r.transfer_id := it.paid_transfer;
          r.suspense := it.paid_suspense;
        end if;
      elsif it.status = 'FAILED' then
        r.outcome := 'PAYMENT_FAILED';
      else
        v_is_susp := it.amount <> it.requested;
        v_hash := encode(sha256(convert_to(
            'MOMO' || chr(31) || it.ref::text || chr(31) || it.trader_id::text || chr(31)
            || it.amount::text || chr(31), 'UTF8')), 'hex');
        insert into transfers (idempotency_key, kind, content_hash, amount_pesewas, trader_id,
                               business_date, reason)
        values (it.provider || ':' || it.ref::text,
                case when v_is_susp then 'SUSPENSE' else 'MOMO_PAYMENT' end,
                v_hash, it.amount, it.trader_id, p_day,
                case when v_is_susp then 'provider amount differs from requested' end)
        on conflict (idempotency_key) do nothing
        returning id into v_transfer;
        if v_transfer is null then
          r.outcome := 'CONFLICT';
        else
          if v_is_susp then
            v_leg_t := v_leg_t || v_transfer || v_transfer;
            v_leg_a := v_leg_a || it.shard || v_suspense_account;
            v_leg_m := v_leg_m || it.amount || -it.amount;
          else
            v_tl_t := v_tl_t || v_transfer;
            v_tl_a := v_tl_a || it.account_id;
            v_tl_m := v_tl_m || -it.amount;
            v_leg_t := v_leg_t || v_transfer;
            v_leg_a := v_leg_a || it.shard;
            v_leg_m := v_leg_m || it.amount;
            v_receipts := v_receipts || it.i;
          end if;
          update payments
             set status = 'SUCCESSFUL', provider_amount_pesewas = it.amount,
                 provider_txn_id = it.txn, suspense = v_is_susp, transfer_id = v_transfer,
                 next_poll_at = null, settled_at = p_now, updated_at = p_now
           where id = it.payment_id;
          r.outcome := 'POSTED';
          r.transfer_id := v_transfer;
          r.suspense := v_is_susp;
        end if;
      end if;
    else
      select id, content_hash into v_existing, v_ex_hash from transfers where idempotency_key = it.key;
      if v_existing is null then
        if it.account_id is null then
          r.outcome := 'UNKNOWN_TRADER';
        else
          select c.id, c.name, c.phone, c.staff_number, c.status, ca.id as account_id
            into col
            from collectors c
            join accounts ca on ca.kind = 'COLLECTOR_CASH' and ca.owner_id = c.id
           where c.id = it.collector;
          if not found or col.status <> 'ACTIVE' then
            r.outcome := 'UNKNOWN_COLLECTOR';
          elsif not exists (select 1 from collector_markets cm
                             where cm.collector_id = col.id and cm.market_id = it.market_id) then
            r.outcome := 'NOT_ASSIGNED';
          else
            insert into transfers (idempotency_key, kind, content_hash, amount_pesewas, trader_id,
                                   collector_id, business_date)
            values (it.key, 'CASH_PAYMENT', it.hash, it.amount, it.trader_id, col.id, p_day)
            on conflict (idempotency_key) do nothing
            returning id into v_transfer;
            if v_transfer is null then
              -- Another node posted the same key a moment ago.
              select id, content_hash into v_existing, v_ex_hash
                from transfers where idempotency_key = it.key;
            else
              v_tl_t := v_tl_t || v_transfer;
              v_tl_a := v_tl_a || it.account_id;
              v_tl_m := v_tl_m || -it.amount;
              v_leg_t := v_leg_t || v_transfer;
              v_leg_a := v_leg_a || col.account_id;
              v_leg_m := v_leg_m || it.amount;
              v_receipts := v_receipts || it.i;
              r.outcome := 'POSTED';
              r.transfer_id := v_transfer;
              r.collector_id := col.id;
              r.collector_name := col.name;
              r.collector_phone := col.phone;
              r.collector_staff := col.staff_number;
              r.collector_day_total := col.account_id; -- the account, until the total is known
            end if;
          end if;
        end if;
      end if;
      if v_existing is not null then
        if v_ex_hash <> it.hash then
          r.outcome := 'CONFLICT';
        else
          r.outcome := 'REPLAY';
          r.transfer_id := v_existing;
        end if;
      end if;
    end if;
    if r.outcome = 'REPLAY' then
      select rc.number, rc.verification_code, rc.amount_pesewas, rc.issued_at,
             rc.allocated_pesewas, rc.credit_after_pesewas, rc.trader_id, rc.collector_id
        into r.receipt_number, r.verification_code, r.receipt_amount, r.issued_at,
             r.allocated, r.credit_after, r.trader_id, r.collector_id
        from receipts rc where rc.transfer_id = r.transfer_id;
    elsif r.outcome = 'POSTED' and not r.suspense then
      r.receipt_amount := it.amount;
      r.issued_at := p_now;
      r.trader_id := it.trader_id;
      r.trader_name := it.name;
      r.trader_phone := it.phone;
      r.trader_language := it.language;
      r.customer_number := it.customer_number;
      r.market_name := it.market_name;
      r.payer_msisdn := it.payer_msisdn;
      r.payer_language := it.payer_language;
    end if;
    v_out[it.i] := r;
  end loop;

  -- The traders' legs: the first payment of each trader in one statement (the posting trigger
  -- locks their accounts in descending id order, as accrual does), a trader's further payments in
  -- this batch one by one, so that each allocation sees its own payment's balance.
  if coalesce(array_length(v_tl_t, 1), 0) > 0 then
    insert into postings (transfer_id, account_id, amount_pesewas)
    select distinct on (l.a) l.t, l.a, l.m
      from unnest(v_tl_t, v_tl_a, v_tl_m) with ordinality as l(t, a, m, o)
     order by l.a, l.o;
    for k in 1 .. array_length(v_tl_t, 1) loop
      i := v_receipts[k];
      r := v_out[i];
      if k > 1 and v_tl_a[k] = any (v_tl_a[1:k - 1]) then
        insert into postings (transfer_id, account_id, amount_pesewas)
        values (v_tl_t[k], v_tl_a[k], v_tl_m[k]);
      end if;
      rb := ledger_rebalance(r.trader_id, v_tl_a[k], v_tl_t[k]);
      r.allocated := rb.allocated;
      r.items := rb.items;
      r.open_after := rb.open_after;
      r.credit_after := rb.credit_after;
      v_out[i] := r;
    end loop;
  end if;

  -- The shared accounts, once per batch (the posting trigger locks them in descending id order).
  if coalesce(array_length(v_leg_t, 1), 0) > 0 then
    insert into postings (transfer_id, account_id, amount_pesewas)
    select * from unnest(v_leg_t, v_leg_a, v_leg_m);
  end if;

  -- A collector's cash total for the day, up to and including each of their payments.
  for i in 1 .. coalesce(array_length(v_out, 1), 0) loop
    r := v_out[i];
    if r.outcome = 'POSTED' and r.collector_id is not null then
      select coalesce(sum(pg.amount_pesewas), 0) into v_total
        from postings pg join transfers t on t.id = pg.transfer_id
       where pg.account_id = r.collector_day_total and t.business_date = p_day;
      select coalesce(sum(l.m), 0) into v_later
        from unnest(v_leg_t, v_leg_a, v_leg_m) as l(t, a, m)
       where l.a = r.collector_day_total and l.t > r.transfer_id;
      r.collector_day_total := v_total - v_later;
      v_out[i] := r;
    end if;
  end loop;

  -- Receipt numbers for the items that posted, drawn once: the row stays locked until commit.
  v_count := coalesce(array_length(v_receipts, 1), 0);
  if v_count > 0 then
    insert into receipt_sequences as s (year, last_seq) values (p_year, v_count)
    on conflict (year) do update set last_seq = s.last_seq + v_count
    returning last_seq into v_last;
    v_seq := v_last - v_count;
    foreach i in array v_receipts loop
      v_seq := v_seq + 1;
      r := v_out[i];
      v_number := p_code || '-' || p_year::text || '-'
                  || case when v_seq < 1000000 then lpad(v_seq::text, 6, '0') else v_seq::text end;
      v_rid := null;
      for attempt in 1 .. 8 loop
        v_code := ledger_verification_code();
        insert into receipts (number, year, seq, verification_code, transfer_id, amount_pesewas,
                              trader_id, collector_id, allocated_pesewas, arrears_after_pesewas,
                              credit_after_pesewas, issued_at)
        values (v_number, p_year, v_seq, v_code, r.transfer_id, r.receipt_amount, r.trader_id,
                r.collector_id, r.allocated, r.open_after, r.credit_after, p_now)
        on conflict on constraint receipts_code_uk do nothing
        returning id into v_rid;
        exit when v_rid is not null;
      end loop;
      if v_rid is null then
        raise exception 'ledger: could not find a free verification code';
      end if;
      r.receipt_number := v_number;
      r.verification_code := v_code;
      v_out[i] := r;
    end loop;
  end if;

  return query select * from unnest(v_out);
end
$$;
-- [jooq ignore stop]
