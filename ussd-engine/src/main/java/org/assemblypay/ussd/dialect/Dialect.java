package org.assemblypay.ussd.dialect;

import java.util.Map;
import org.assemblypay.ussd.UssdReply;

/**
 * One aggregator's wire format. Implementations are small, stateless and know no HTTP framework;
 * register a new one with {@link Dialects} and nothing else changes.
 */
public interface Dialect {

  /** The name used in configuration, e.g. {@code africastalking}. */
  String name();

  /** Reads a request sent to the aggregator route configured by {@code aggregator}. */
  Parsed parse(AggregatorConfig aggregator, DialectRequest request);

  /** Writes the engine's reply; {@code echo} is what {@link #parse} kept for it. */
  DialectResponse reply(UssdReply reply, Map<String, String> echo);
}
