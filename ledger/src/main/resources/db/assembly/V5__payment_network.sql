-- The mobile network the payer was routed to (the aggregator's word or the prefix table), so that
-- a re-send after a gateway restart goes to the same network. Null for older rows.
alter table payments add column network varchar(16);
