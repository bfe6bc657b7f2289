-- The assembly registry: which assemblies the gateway serves and where each one's data lives.
-- Applied by Flyway to the schema "control"; table names are unqualified on purpose.

create table assemblies (
  code                varchar(16)  not null primary key,
  name                varchar(200) not null,
  ussd_service_codes  text[]       not null,
  sms_sender_id       varchar(11),
  time_zone           varchar(64)  not null default 'Africa/Accra',
  schema_name         varchar(63)  not null,
  jdbc_url            varchar(1000),
  status              varchar(12)  not null default 'ACTIVE',
  office_phone        varchar(16),
  min_payment_pesewas bigint       not null,
  max_payment_pesewas bigint       not null,
  created_at          timestamp with time zone not null default current_timestamp,
  constraint assemblies_status_ck check (status in ('ACTIVE', 'SUSPENDED')),
  constraint assemblies_min_ck check (min_payment_pesewas > 0),
  constraint assemblies_max_ck check (max_payment_pesewas >= min_payment_pesewas)
);

-- [jooq ignore start]
alter table assemblies add constraint assemblies_code_ck check (code ~ '^[A-Z][A-Z0-9]{1,15}$');
alter table assemblies add constraint assemblies_schema_ck check (schema_name ~ '^[a-z][a-z0-9_]{1,62}$');
-- [jooq ignore stop]
