-- Message ids are unique only within one SMSC: two SMSCs that both count ids in decimal hand out
-- the same ids, so a delivery report is matched on the pair (SMSC identity, message id), never on
-- the id alone (D230). smsc is the SMSC identity of the connection that took the part (the gateway's
-- smsc.connections[].smsc, by default systemId@host:port).
--
-- Rows written before this migration get '' ("submitted before SMSC identities were recorded"): a
-- report from any SMSC still matches them, as every report did before, so a message in flight
-- during the upgrade is still settled by its report. A writer that names no SMSC (a node of the
-- previous release during a rolling upgrade) also writes '' through the default. Such rows keep
-- the old risk of a report from another SMSC with a colliding id; once no report can still be due
-- for them (72 hours, D213), an operator may delete them: delete from sms_message_ids where smsc = ''.
alter table sms_message_ids add column smsc varchar(100) not null default '';

-- The key leads with (smsc, message_id): it is the index the report lookup reads
-- (smsc = any(array[<report's smsc>, '']) and message_id = <id>). It replaces the old key, so a
-- submission still writes one index entry per part besides sms_message_ids_outbox_ix.
alter table sms_message_ids drop constraint sms_message_ids_pk;
alter table sms_message_ids
  add constraint sms_message_ids_pk primary key (smsc, message_id, outbox_id);
