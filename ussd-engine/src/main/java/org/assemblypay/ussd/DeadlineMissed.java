package org.assemblypay.ussd;

import java.util.Map;

/**
 * An action overran the hop deadline: the user got a polite END, and the caller may owe them a
 * follow-up SMS (the action may still finish and have an effect).
 */
public record DeadlineMissed(
    String sessionId,
    Msisdn msisdn,
    String serviceCode,
    String screen,
    String action,
    String language,
    Map<String, String> vars,
    long hopDeadlineMillis) {

  /** Copies the variables. */
  public DeadlineMissed {
    vars = Map.copyOf(vars);
  }
}
