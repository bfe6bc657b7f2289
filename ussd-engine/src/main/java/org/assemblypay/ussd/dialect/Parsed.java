package org.assemblypay.ussd.dialect;

import java.util.Map;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.UssdRequest;

/** What a dialect made of a request. */
public sealed interface Parsed {

  /** A hop for the engine; {@code echo} holds fields the reply must carry back. */
  record Hop(UssdRequest request, Map<String, String> echo) implements Parsed {
    /** Copies the echo fields. */
    public Hop {
      echo = Map.copyOf(echo);
    }
  }

  /** The aggregator ends the session without a final screen. */
  record Ended(
      String sessionId,
      Msisdn msisdn,
      String serviceCode,
      UssdEngine.EndReason reason,
      Map<String, String> echo)
      implements Parsed {
    /** Copies the echo fields. */
    public Ended {
      echo = Map.copyOf(echo);
    }
  }

  /** A well-formed request from a phone number outside Ghana. */
  record ForeignNumber(Map<String, String> echo) implements Parsed {
    /** Copies the echo fields. */
    public ForeignNumber {
      echo = Map.copyOf(echo);
    }
  }

  /** A request the dialect cannot read: malformed body or missing fields. */
  record Invalid(String reason) implements Parsed {}
}
