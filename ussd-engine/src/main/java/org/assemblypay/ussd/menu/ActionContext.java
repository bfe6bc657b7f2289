package org.assemblypay.ussd.menu;

import java.util.Map;

/**
 * What an action may know about the hop.
 *
 * @param sessionId the aggregator's session id
 * @param msisdn the phone number as {@code 233XXXXXXXXX}
 * @param serviceCode the code dialled (identifies the assembly)
 * @param network the aggregator's network field, empty when not sent
 * @param screen the screen being entered
 * @param input the input that led here (empty on the first screen)
 * @param language the session's language code (variable {@code lang}, else the default)
 * @param vars the session variables so far
 * @param idempotencyKey unique to this session, hop and screen: the same on a retried hop, so an
 *     action with an effect can use it to act once
 */
public record ActionContext(
    String sessionId,
    String msisdn,
    String serviceCode,
    String network,
    String screen,
    String input,
    String language,
    Map<String, String> vars,
    String idempotencyKey) {

  /** Copies the variables. */
  public ActionContext {
    vars = Map.copyOf(vars);
  }
}
