-- Postings are checked and applied in one statement-level pass (D180): the row-level
-- postings_same_transaction trigger (one PL/pgSQL call and one query per posting) becomes a single
-- query in the statement trigger that already moves the balances. Every writer still goes through
-- it: a posting to a transfer that this transaction did not create is refused (P0002), and the
-- only way to change a balance is still to post.
--
-- Two indexes that every payment maintained and no query needs (D181): charges_trader_ix is
-- covered by charges_period_uk (leading trader_id) and charges_open_ix; transfers_collector_ix
-- only ever serves collector_id = ?, so it no longer holds a null entry for every transfer that
-- has no collector (mobile money, accrual, reversal).
drop index charges_trader_ix;
drop index transfers_collector_ix;
create index transfers_collector_ix on transfers (collector_id, business_date)
  where collector_id is not null;

-- [jooq ignore start]
create or replace function ledger_apply_postings() returns trigger language plpgsql
set search_path from current as $$
declare
  leg   record;
  v_bad bigint;
begin
  if (select count(*) from new_postings) <= 64 then
    -- A payment batch: a few legs. The lateral LIMIT keeps the check an index probe per posting
    -- whatever plan is cached.
    select n.transfer_id into v_bad
      from new_postings n
      left join lateral (
             select 1 as ok from transfers t
              where t.id = n.transfer_id and t.txid = txid_current()
              limit 1) t on true
     where t.ok is null
     limit 1;
    if found then
      raise exception 'ledger: posting to transfer % outside the transaction that created it', v_bad
        using errcode = 'P0002';
    end if;
    -- Each leg an index update, taken in descending id order.
    for leg in
      select n.account_id, sum(n.amount_pesewas) as delta
        from new_postings n group by n.account_id order by n.account_id desc
    loop
      update accounts set balance_pesewas = balance_pesewas + leg.delta where id = leg.account_id;
    end loop;
  else
    -- An accrual: few transfers, many legs.
    select n.transfer_id into v_bad
      from (select distinct transfer_id from new_postings) n
     where not exists (select 1 from transfers t
                        where t.id = n.transfer_id and t.txid = txid_current())
     limit 1;
    if found then
      raise exception 'ledger: posting to transfer % outside the transaction that created it', v_bad
        using errcode = 'P0002';
    end if;
    -- Lock every touched account in the same order, then one set-based update.
    perform 1 from accounts a
      where a.id in (select distinct n.account_id from new_postings n)
      order by a.id desc
      for no key update;
    update accounts a
       set balance_pesewas = a.balance_pesewas + s.delta
      from (select n.account_id, sum(n.amount_pesewas) as delta
              from new_postings n group by n.account_id) s
     where a.id = s.account_id;
  end if;
  return null;
end
$$;

drop trigger postings_same_transaction on postings;
drop function ledger_posting_same_transaction();
-- [jooq ignore stop]
