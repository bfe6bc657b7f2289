package org.assemblypay.ledger;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** A registered assembly and where its data lives. */
public record Assembly(
    String code,
    String name,
    List<String> ussdServiceCodes,
    String smsSenderId,
    ZoneId timeZone,
    String schemaName,
    Optional<String> ownJdbcUrl,
    ActiveStatus status,
    String officePhone,
    long minPaymentPesewas,
    long maxPaymentPesewas) {

  /** Copies the list. */
  public Assembly {
    ussdServiceCodes = List.copyOf(ussdServiceCodes);
  }
}
