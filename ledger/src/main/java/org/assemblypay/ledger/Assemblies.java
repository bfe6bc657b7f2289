package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.control.Tables.ASSEMBLIES;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.assemblypay.ledger.jooq.control.tables.records.AssembliesRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The registry of assemblies in the control schema. */
public final class Assemblies {
  /** Serialises registrations so a USSD service code can never belong to two assemblies. */
  private static final long REGISTRATION_LOCK = 0x4153_4d42_4c59L;

  private final Ledger ledger;
  private final DSLContext control;

  Assemblies(Ledger ledger, DSLContext control) {
    this.ledger = ledger;
    this.control = control;
  }

  /**
   * Registers an assembly and creates and migrates its schema. Registering the same code with the
   * same details again is a no-op; different details are an {@link IdempotencyConflictException}.
   */
  public Assembly register(NewAssembly n) {
    Assembly wanted = validate(n);
    Assembly stored =
        control.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              tx.select(
                      DSL.function(
                          "pg_advisory_xact_lock", SQLDataType.OTHER, DSL.val(REGISTRATION_LOCK)))
                  .fetch();
              AssembliesRecord existing =
                  tx.selectFrom(ASSEMBLIES).where(ASSEMBLIES.CODE.eq(wanted.code())).fetchOne();
              if (existing != null) {
                Assembly have = toAssembly(existing);
                if (!have.equals(wanted)) {
                  throw new IdempotencyConflictException("assembly " + wanted.code());
                }
                return have;
              }
              for (String serviceCode : wanted.ussdServiceCodes()) {
                if (tx.fetchExists(
                    ASSEMBLIES, DSL.val(serviceCode).eq(DSL.any(ASSEMBLIES.USSD_SERVICE_CODES)))) {
                  throw new InvalidInputException("USSD code already used: " + serviceCode);
                }
              }
              tx.insertInto(ASSEMBLIES)
                  .set(ASSEMBLIES.CODE, wanted.code())
                  .set(ASSEMBLIES.NAME, wanted.name())
                  .set(
                      ASSEMBLIES.USSD_SERVICE_CODES,
                      wanted.ussdServiceCodes().toArray(new String[0]))
                  .set(ASSEMBLIES.SMS_SENDER_ID, wanted.smsSenderId())
                  .set(ASSEMBLIES.TIME_ZONE, wanted.timeZone().getId())
                  .set(ASSEMBLIES.SCHEMA_NAME, wanted.schemaName())
                  .set(ASSEMBLIES.JDBC_URL, wanted.ownJdbcUrl().orElse(null))
                  .set(ASSEMBLIES.STATUS, wanted.status().name())
                  .set(ASSEMBLIES.OFFICE_PHONE, wanted.officePhone())
                  .set(ASSEMBLIES.MIN_PAYMENT_PESEWAS, wanted.minPaymentPesewas())
                  .set(ASSEMBLIES.MAX_PAYMENT_PESEWAS, wanted.maxPaymentPesewas())
                  .execute();
              return wanted;
            });
    ledger.migrate(stored);
    return stored;
  }

  /** The assembly with this code (case-insensitive). */
  public Optional<Assembly> find(String code) {
    if (code == null) {
      return Optional.empty();
    }
    return control
        .selectFrom(ASSEMBLIES)
        .where(ASSEMBLIES.CODE.eq(code.trim().toUpperCase(Locale.ROOT)))
        .fetchOptional()
        .map(Assemblies::toAssembly);
  }

  /** The assembly that owns a USSD service code such as {@code *713*44#}. */
  public Optional<Assembly> byServiceCode(String ussdCode) {
    if (ussdCode == null) {
      return Optional.empty();
    }
    return control
        .selectFrom(ASSEMBLIES)
        .where(DSL.val(ussdCode.trim()).eq(DSL.any(ASSEMBLIES.USSD_SERVICE_CODES)))
        .fetchOptional()
        .map(Assemblies::toAssembly);
  }

  /** Every registered assembly, by code. */
  public List<Assembly> list() {
    return control
        .selectFrom(ASSEMBLIES)
        .orderBy(ASSEMBLIES.CODE)
        .fetch()
        .map(Assemblies::toAssembly);
  }

  private static Assembly validate(NewAssembly n) {
    if (n.code() == null
        || !n.code().trim().toUpperCase(Locale.ROOT).matches("[A-Z][A-Z0-9]{1,15}")) {
      throw new InvalidInputException("assembly code must be 2-16 letters or digits");
    }
    if (n.name() == null || n.name().isBlank() || n.name().length() > 200) {
      throw new InvalidInputException("assembly name missing or too long");
    }
    if (n.ussdServiceCodes().isEmpty()
        || n.ussdServiceCodes().stream().anyMatch(c -> !c.matches("\\*[0-9*]{1,30}#"))) {
      throw new InvalidInputException("USSD service codes look like *713*44#");
    }
    if (n.minPaymentPesewas() <= 0 || n.maxPaymentPesewas() < n.minPaymentPesewas()) {
      throw new InvalidAmountException("payment limits must satisfy 0 < min <= max");
    }
    if (n.smsSenderId() != null && n.smsSenderId().length() > 11) {
      throw new InvalidInputException("SMS sender id is at most 11 characters");
    }
    String code = n.code().trim().toUpperCase(Locale.ROOT);
    return new Assembly(
        code,
        n.name().trim(),
        n.ussdServiceCodes(),
        n.smsSenderId(),
        n.timeZone() == null ? ZoneId.of("Africa/Accra") : n.timeZone(),
        "asm_" + code.toLowerCase(Locale.ROOT),
        Optional.ofNullable(n.ownJdbcUrl()),
        ActiveStatus.ACTIVE,
        n.officePhone() == null ? null : Msisdn.normalize(n.officePhone()),
        n.minPaymentPesewas(),
        n.maxPaymentPesewas());
  }

  private static Assembly toAssembly(AssembliesRecord r) {
    return new Assembly(
        r.getCode(),
        r.getName(),
        Arrays.asList(r.getUssdServiceCodes()),
        r.getSmsSenderId(),
        ZoneId.of(r.getTimeZone()),
        r.getSchemaName(),
        Optional.ofNullable(r.getJdbcUrl()),
        ActiveStatus.valueOf(r.getStatus()),
        r.getOfficePhone(),
        r.getMinPaymentPesewas(),
        r.getMaxPaymentPesewas());
  }
}
