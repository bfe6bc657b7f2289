-- The admin API's reports (issue #6): USSD sessions by last screen, and indexes for the filtered,
-- paged lists (payments by status/provider/date, the audit log, the SMS outbox, collections by day).

-- USSD hops counted per day (UTC, which is Ghana's time all year) and screen: how often a screen
-- was shown awaiting input, how often an input came back to it, how many sessions started on it and
-- how many ended on it (a final screen: paid, goodbye, too many invalid inputs). Sessions that saw a screen and never answered it = shown - answered.
-- Gateway nodes add their in-memory counts here every few seconds (insert ... on conflict add).
create table ussd_screen_stats (
  day       date        not null,
  screen    varchar(64) not null,
  started   bigint      not null default 0,
  shown     bigint      not null default 0,
  answered  bigint      not null default 0,
  ended     bigint      not null default 0,
  constraint ussd_screen_stats_pk primary key (day, screen),
  constraint ussd_screen_stats_ck check (started >= 0 and shown >= 0 and answered >= 0 and ended >= 0)
);

create index payments_created_ix on payments (created_at, id);
create index payments_status_created_ix on payments (status, created_at, id);
create index payments_provider_created_ix on payments (provider, created_at, id);
create index audit_log_at_ix on audit_log (at, id);
create index sms_outbox_created_ix on sms_outbox (created_at, id);
create index transfers_business_date_ix on transfers (business_date);
