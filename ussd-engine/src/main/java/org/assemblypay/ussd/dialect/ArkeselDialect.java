package org.assemblypay.ussd.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.UssdReply;
import org.assemblypay.ussd.UssdRequest;

/**
 * Arkesel: JSON {@code sessionID, userID, newSession, msisdn, userData, network}; reply {@code
 * sessionID, userID, msisdn, message, continueSession}.
 */
final class ArkeselDialect implements Dialect {

  @Override
  public String name() {
    return "arkesel";
  }

  @Override
  public Parsed parse(AggregatorConfig aggregator, DialectRequest request) {
    Optional<JsonNode> body = Json.object(request.body());
    if (body.isEmpty()) {
      return new Parsed.Invalid("body is not a JSON object");
    }
    JsonNode json = body.get();
    String sessionId = Json.text(json, "sessionID").orElse("");
    String phone = Json.text(json, "msisdn").orElse("");
    Optional<String> newSession = Json.text(json, "newSession");
    if (Fields.blank(sessionId) || Fields.blank(phone) || newSession.isEmpty()) {
      return new Parsed.Invalid("sessionID, msisdn and newSession are required");
    }
    Map<String, String> echo =
        Map.of(
            "sessionID", sessionId,
            "userID", Json.text(json, "userID").orElse(""),
            "msisdn", phone);
    Optional<Msisdn> msisdn = Msisdn.parse(phone);
    if (msisdn.isEmpty()) {
      return new Parsed.ForeignNumber(echo);
    }
    boolean first = Fields.truthy(newSession.get());
    String data = Json.text(json, "userData").orElse("");
    return new Parsed.Hop(
        new UssdRequest(
            aggregator.name(),
            sessionId,
            msisdn.get(),
            aggregator.serviceCode(),
            Json.text(json, "network").orElse(""),
            first ? "" : data,
            first,
            first && data.startsWith("*") ? data : "",
            OptionalLong.empty(),
            UssdRequest.InputStyle.SINGLE),
        echo);
  }

  @Override
  public DialectResponse reply(UssdReply reply, Map<String, String> echo) {
    return DialectResponse.json(
        200,
        Json.bytes(
            Json.newObject()
                .put("sessionID", echo.getOrDefault("sessionID", ""))
                .put("userID", echo.getOrDefault("userID", ""))
                .put("msisdn", echo.getOrDefault("msisdn", ""))
                .put("message", reply.text())
                .put("continueSession", !reply.ends())));
  }
}
