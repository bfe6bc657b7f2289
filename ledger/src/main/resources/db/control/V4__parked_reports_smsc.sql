-- A parked delivery report remembers the SMSC identity of the connection it came in on, and is
-- matched only against message ids submitted under that identity (D230): message ids are unique
-- only within one SMSC.
--
-- Rows parked before this migration have no identity (null): the gateway fills it in at start from
-- their connection_name and the configured connections (ParkedDeliveryReports.assignSmsc); a row
-- whose connection is no longer configured keeps null, matches only ids recorded before assembly
-- migration V16 (smsc ''), and is given up after the maximum age like any other (D213).
alter table parked_delivery_reports add column smsc varchar(100);

-- A report the SMSC delivers twice, on the same bind or on another bind of the same SMSC account,
-- is parked once. Null identities (rows from before this migration) never conflict, as before.
alter table parked_delivery_reports drop constraint parked_delivery_reports_report_uq;
alter table parked_delivery_reports
  add constraint parked_delivery_reports_report_uq unique (smsc, message_id, state);
