-- Wake the SMS dispatchers on every gateway node (LISTEN sms_outbox) when messages are queued,
-- instead of waiting for their next poll. One notification per inserting transaction, sent at
-- commit; the payload names the assembly's schema.
-- [jooq ignore start]
create function sms_outbox_notify() returns trigger
  language plpgsql
as $$
begin
  perform pg_notify('sms_outbox', tg_table_schema);
  return null;
end
$$;

create trigger sms_outbox_notify
  after insert on sms_outbox
  for each statement
  execute function sms_outbox_notify();
-- [jooq ignore stop]
