package org.assemblypay.ussd.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.UssdReply;
import org.assemblypay.ussd.UssdRequest;

/**
 * Hubtel: JSON {@code Type} (Initiation, Response, Release, Timeout), {@code Mobile, SessionId,
 * ServiceCode, Message, Operator, Sequence, ClientState}; {@code Message} on Initiation is the full
 * dial string. Reply {@code Type} Response or Release, {@code Message}, {@code ClientState}.
 */
final class HubtelDialect implements Dialect {

  @Override
  public String name() {
    return "hubtel";
  }

  @Override
  public Parsed parse(AggregatorConfig aggregator, DialectRequest request) {
    Optional<JsonNode> body = Json.object(request.body());
    if (body.isEmpty()) {
      return new Parsed.Invalid("body is not a JSON object");
    }
    JsonNode json = body.get();
    String type = Json.text(json, "Type").orElse("").toLowerCase(Locale.ROOT);
    String sessionId = Json.text(json, "SessionId").orElse("");
    String mobile = Json.text(json, "Mobile").orElse("");
    if (Fields.blank(sessionId) || Fields.blank(mobile) || type.isEmpty()) {
      return new Parsed.Invalid("Type, SessionId and Mobile are required");
    }
    Map<String, String> echo = new HashMap<>();
    Json.text(json, "ClientState").ifPresent(state -> echo.put("ClientState", state));
    Optional<Msisdn> msisdn = Msisdn.parse(mobile);
    if (msisdn.isEmpty()) {
      return new Parsed.ForeignNumber(echo);
    }
    // A configured code wins: Hubtel may send only the base code (713) for *713*44#.
    String serviceCode =
        aggregator.serviceCode().isEmpty()
            ? Json.text(json, "ServiceCode").orElse("")
            : aggregator.serviceCode();
    String message = Json.text(json, "Message").orElse("");
    OptionalLong sequence = OptionalLong.empty();
    Optional<String> rawSequence = Json.text(json, "Sequence");
    if (rawSequence.isPresent()) {
      try {
        sequence = OptionalLong.of(Long.parseLong(rawSequence.get().trim()));
      } catch (NumberFormatException e) {
        return new Parsed.Invalid("Sequence is not a number");
      }
    }
    return switch (type) {
      case "initiation" ->
          new Parsed.Hop(
              request(
                  aggregator,
                  sessionId,
                  msisdn.get(),
                  serviceCode,
                  json,
                  "",
                  true,
                  message,
                  sequence),
              echo);
      case "response" ->
          new Parsed.Hop(
              request(
                  aggregator,
                  sessionId,
                  msisdn.get(),
                  serviceCode,
                  json,
                  message,
                  false,
                  "",
                  sequence),
              echo);
      case "release" ->
          new Parsed.Ended(
              sessionId, msisdn.get(), serviceCode, UssdEngine.EndReason.RELEASED, echo);
      case "timeout" ->
          new Parsed.Ended(
              sessionId, msisdn.get(), serviceCode, UssdEngine.EndReason.TIMED_OUT, echo);
      default -> new Parsed.Invalid("unknown Type " + type);
    };
  }

  private static UssdRequest request(
      AggregatorConfig aggregator,
      String sessionId,
      Msisdn msisdn,
      String serviceCode,
      JsonNode json,
      String input,
      boolean first,
      String dialString,
      OptionalLong sequence) {
    return new UssdRequest(
        aggregator.name(),
        sessionId,
        msisdn,
        serviceCode,
        Json.text(json, "Operator").orElse(""),
        input,
        first,
        dialString,
        sequence,
        UssdRequest.InputStyle.SINGLE);
  }

  @Override
  public DialectResponse reply(UssdReply reply, Map<String, String> echo) {
    return DialectResponse.json(
        200,
        Json.bytes(
            Json.newObject()
                .put("Type", reply.ends() ? "Release" : "Response")
                .put("Message", reply.text())
                .put("ClientState", echo.getOrDefault("ClientState", ""))));
  }
}
