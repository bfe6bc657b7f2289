package org.assemblypay.ledger;

import java.time.ZoneId;
import java.util.List;

/**
 * What an operator supplies to register an assembly; {@code ownJdbcUrl} is null to keep the data in
 * a schema of the main database.
 */
public record NewAssembly(
    String code,
    String name,
    List<String> ussdServiceCodes,
    String smsSenderId,
    ZoneId timeZone,
    String ownJdbcUrl,
    String officePhone,
    long minPaymentPesewas,
    long maxPaymentPesewas) {

  /** Copies the list. */
  public NewAssembly {
    ussdServiceCodes = List.copyOf(ussdServiceCodes);
  }

  /** An assembly in the main database, Africa/Accra, GHS 1 to GHS 5,000 per payment. */
  public static NewAssembly inMainDatabase(String code, String name, String ussdServiceCode) {
    return new NewAssembly(
        code,
        name,
        List.of(ussdServiceCode),
        code.length() > 11 ? code.substring(0, 11) : code,
        ZoneId.of("Africa/Accra"),
        null,
        null,
        100,
        500_000);
  }

  /** The same assembly with its data in its own database. */
  public NewAssembly withOwnJdbcUrl(String jdbcUrl) {
    return new NewAssembly(
        code,
        name,
        ussdServiceCodes,
        smsSenderId,
        timeZone,
        jdbcUrl,
        officePhone,
        minPaymentPesewas,
        maxPaymentPesewas);
  }
}
