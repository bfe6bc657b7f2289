package org.assemblypay.ussd.dialect;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.UssdReply;
import org.assemblypay.ussd.UssdRequest;

/**
 * Africa's Talking: form POST {@code sessionId, serviceCode, phoneNumber, networkCode, text}, where
 * {@code text} is every input so far joined by {@code *} (the engine derives the newest input);
 * reply {@code CON …} or {@code END …} as text/plain.
 */
final class AfricasTalkingDialect implements Dialect {

  @Override
  public String name() {
    return "africastalking";
  }

  @Override
  public Parsed parse(AggregatorConfig aggregator, DialectRequest request) {
    if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
      return new Parsed.Invalid("expected application/x-www-form-urlencoded");
    }
    Optional<Map<String, String>> form = Fields.form(request.body());
    if (form.isEmpty()) {
      return new Parsed.Invalid("malformed form body");
    }
    Map<String, String> fields = form.get();
    String sessionId = fields.get("sessionId");
    String serviceCode = fields.get("serviceCode");
    String phone = fields.get("phoneNumber");
    if (Fields.blank(sessionId) || Fields.blank(serviceCode) || Fields.blank(phone)) {
      return new Parsed.Invalid("sessionId, serviceCode and phoneNumber are required");
    }
    Optional<Msisdn> msisdn = Msisdn.parse(phone);
    if (msisdn.isEmpty()) {
      return new Parsed.ForeignNumber(Map.of());
    }
    String text = fields.getOrDefault("text", "");
    return new Parsed.Hop(
        new UssdRequest(
            aggregator.name(),
            sessionId,
            msisdn.get(),
            serviceCode,
            fields.getOrDefault("networkCode", ""),
            text,
            text.isEmpty(),
            "",
            OptionalLong.empty(),
            UssdRequest.InputStyle.CUMULATIVE),
        Map.of());
  }

  @Override
  public DialectResponse reply(UssdReply reply, Map<String, String> echo) {
    return DialectResponse.text(200, (reply.ends() ? "END " : "CON ") + reply.text());
  }
}
