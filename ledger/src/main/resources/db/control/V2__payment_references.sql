-- Which assembly holds each mobile-money payment reference. A provider callback names only the
-- reference (or the provider's id, which the status query maps back to it); this index routes it
-- to one assembly, wherever that assembly's data lives, without asking every assembly.
-- The bridge writes the row before the payment intent, so every intent it starts is indexed; a row
-- whose intent never committed only makes that one lookup find nothing. A reference belongs to one
-- assembly for good: a second assembly cannot claim it.
create table payment_references (
  reference     uuid        not null primary key,
  assembly_code varchar(16) not null,
  created_at    timestamp with time zone not null default current_timestamp,
  constraint payment_references_assembly_fk foreign key (assembly_code)
    references assemblies (code) on delete cascade
);

create index payment_references_assembly_ix on payment_references (assembly_code);
