package org.assemblypay.ussd;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One hop from an aggregator, in the engine's terms.
 *
 * @param dialect the configured aggregator route name (a metric tag)
 * @param sessionId the aggregator's session id (the store key; never the phone number)
 * @param msisdn the normalised phone number
 * @param serviceCode the code dialled, e.g. {@code *713*44#}
 * @param network the aggregator's network name or code, empty when not sent
 * @param input the user's newest input, or for {@link InputStyle#CUMULATIVE} every input so far
 *     joined by {@code *}
 * @param newSession the aggregator marks this as the first hop (ignored for cumulative input, where
 *     the store decides)
 * @param dialString the full dial string when the aggregator sends one (e.g. {@code *713*44*2#}),
 *     else empty
 * @param sequence the aggregator's hop sequence number, when it has one
 * @param inputStyle how {@code input} is to be read
 */
public record UssdRequest(
    String dialect,
    String sessionId,
    Msisdn msisdn,
    String serviceCode,
    String network,
    String input,
    boolean newSession,
    String dialString,
    OptionalLong sequence,
    InputStyle inputStyle) {

  /** How an aggregator passes the user's input. */
  public enum InputStyle {
    /** Each hop carries only the newest input. */
    SINGLE,
    /** Each hop carries every input so far joined by {@code *} (Africa's Talking). */
    CUMULATIVE
  }

  /** Checks the fields. */
  public UssdRequest {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(msisdn, "msisdn");
    Objects.requireNonNull(serviceCode, "serviceCode");
    network = network == null ? "" : network;
    input = input == null ? "" : input;
    dialString = dialString == null ? "" : dialString;
    Objects.requireNonNull(sequence, "sequence");
    Objects.requireNonNull(inputStyle, "inputStyle");
    if (sessionId.isBlank()) {
      throw new IllegalArgumentException("blank sessionId");
    }
  }

  /** The session's correlation id (see {@link HopCorrelation#of}). */
  public String correlationId() {
    return HopCorrelation.of(dialect, sessionId);
  }
}
