package org.assemblypay.ussd.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.UssdReply;
import org.assemblypay.ussd.UssdRequest;

/**
 * Nalo: JSON {@code USERID, MSISDN, USERDATA, MSGTYPE (true on the first dial), NETWORK,
 * SESSIONID}; reply {@code USERID, MSISDN, MSG, MSGTYPE (true = continue)}. Sessions are keyed by
 * SESSIONID, never by MSISDN.
 */
final class NaloDialect implements Dialect {

  @Override
  public String name() {
    return "nalo";
  }

  @Override
  public Parsed parse(AggregatorConfig aggregator, DialectRequest request) {
    Optional<JsonNode> body = Json.object(request.body());
    if (body.isEmpty()) {
      return new Parsed.Invalid("body is not a JSON object");
    }
    JsonNode json = body.get();
    String sessionId = Json.text(json, "SESSIONID").orElse("");
    String userId = Json.text(json, "USERID").orElse("");
    String phone = Json.text(json, "MSISDN").orElse("");
    Optional<String> msgType = Json.text(json, "MSGTYPE");
    if (Fields.blank(sessionId) || Fields.blank(phone) || msgType.isEmpty()) {
      return new Parsed.Invalid("SESSIONID, MSISDN and MSGTYPE are required");
    }
    Map<String, String> echo = Map.of("USERID", userId, "MSISDN", phone);
    Optional<Msisdn> msisdn = Msisdn.parse(phone);
    if (msisdn.isEmpty()) {
      return new Parsed.ForeignNumber(echo);
    }
    boolean first = Fields.truthy(msgType.get());
    String data = Json.text(json, "USERDATA").orElse("");
    boolean dialled = first && data.startsWith("*");
    return new Parsed.Hop(
        new UssdRequest(
            aggregator.name(),
            sessionId,
            msisdn.get(),
            aggregator.serviceCode(),
            Json.text(json, "NETWORK").orElse(""),
            first ? "" : data,
            first,
            dialled ? data : "",
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
                .put("USERID", echo.getOrDefault("USERID", ""))
                .put("MSISDN", echo.getOrDefault("MSISDN", ""))
                .put("MSG", reply.text())
                .put("MSGTYPE", !reply.ends())));
  }
}
