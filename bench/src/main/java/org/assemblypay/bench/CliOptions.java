package org.assemblypay.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options, as a map. */
public final class CliOptions {

  private CliOptions() {}

  /**
   * {@code --name value} pairs; a {@code --name} followed by another option or nothing maps to "".
   */
  public static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        options.put(name, args[++i]);
      } else {
        options.put(name, "");
      }
    }
    return options;
  }
}
