package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonObject;
import org.assemblypay.ledger.AssemblyLedger;

/**
 * Writes one admin change to the assembly's audit log: who (the credential name), what (action and
 * entity), before and after as JSON; the database stamps when. Never given a PIN or a key.
 */
final class AuditTrail {
  private AuditTrail() {}

  static void record(
      AssemblyLedger ledger,
      AdminCredential who,
      String action,
      String entity,
      JsonObject before,
      JsonObject after) {
    ledger.audit(
        who.name(),
        action,
        entity,
        before == null ? null : before.encode(),
        after == null ? null : after.encode());
  }
}
