-- Delivery reports are matched to their outbox row through this lookup table: an equality match on
-- the primary key instead of `message_ids @> array[?]` (which PostgreSQL answers with a sequential
-- scan). Written by markSubmitted in the same transaction as the row's message_ids. The same
-- SMSC message id may (rarely) belong to two rows (two SMSCs), so the key is the pair.
create table sms_message_ids (
  message_id varchar(100) not null,
  outbox_id  bigint      not null references sms_outbox (id) on delete cascade,
  constraint sms_message_ids_pk primary key (message_id, outbox_id)
);

create index sms_message_ids_outbox_ix on sms_message_ids (outbox_id);

-- Backfill from the rows submitted before this migration.
-- [jooq ignore start]
insert into sms_message_ids (message_id, outbox_id)
select distinct m.message_id, o.id
from sms_outbox o, unnest(o.message_ids) as m(message_id)
where o.message_ids is not null;
-- [jooq ignore stop]
