package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import org.assemblypay.gateway.admin.Replies.Reply;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.NewAssembly;

/** The assembly registry: list and register (platform admins), read one (its own credentials). */
final class AssemblyOperations {
  private final Ledger ledger;

  AssemblyOperations(Ledger ledger) {
    this.ledger = ledger;
  }

  Map<String, Operation> operations() {
    return Map.of(
        "listAssemblies", this::list,
        "registerAssembly", this::register,
        "getAssembly", this::get);
  }

  private Reply list(Call call) {
    return Reply.ok(Views.array(ledger.assemblies().list().stream().map(Views::assembly).toList()));
  }

  private Reply get(Call call) {
    return Reply.ok(Views.assembly(ledger.assembly(call.assemblyCode()).assembly()));
  }

  private Reply register(Call call) {
    JsonObject b = call.body();
    String code = b.getString("code");
    ZoneId zone;
    try {
      zone = ZoneId.of(b.getString("timeZone", "Africa/Accra"));
    } catch (DateTimeException e) {
      throw Call.badRequest("timeZone is not a known time zone");
    }
    String sender = b.getString("smsSenderId", code.length() > 11 ? code.substring(0, 11) : code);
    NewAssembly wanted =
        new NewAssembly(
            code,
            b.getString("name"),
            new ArrayList<>(call.strings("ussdServiceCodes")),
            sender,
            zone,
            null,
            b.getString("officePhone"),
            b.getLong("minPaymentPesewas", 100L),
            b.getLong("maxPaymentPesewas", 500_000L));
    Optional<Assembly> before = ledger.assemblies().find(code);
    Assembly after = ledger.assemblies().register(wanted);
    if (before.isPresent()) {
      // Same details again: nothing changed, nothing to audit.
      return Reply.ok(Views.assembly(after));
    }
    AuditTrail.record(
        ledger.assembly(after.code()),
        call.caller(),
        "assembly.register",
        "assembly:" + after.code(),
        null,
        Views.assembly(after));
    return Reply.created(Views.assembly(after));
  }
}
