package org.assemblypay.gateway.config;

import java.util.List;

/**
 * A configuration section that checks its own values; {@link ConfigLoader} reports each problem as
 * one line, next to unknown keys and missing values.
 */
public interface Validated {
  /**
   * One line per bad value, each naming its key under {@code path} (e.g. {@code
   * payments.pollJitterPercent}); empty when all is well.
   */
  List<String> problems(String path);
}
