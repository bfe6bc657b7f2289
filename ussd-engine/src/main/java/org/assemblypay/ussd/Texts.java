package org.assemblypay.ussd;

import java.util.Map;
import java.util.Optional;
import org.assemblypay.ussd.menu.Messages;

/**
 * Looks texts up by key and language (caller's messages, then the menu's inline texts, then the
 * engine's English defaults) and fills {@code {name}} placeholders from variables.
 */
final class Texts {

  static final String MORE = "ussd.more";
  static final String BACK = "ussd.back";
  static final String INVALID_CHOICE = "ussd.invalid.choice";
  static final String INVALID_INPUT = "ussd.invalid.input";
  static final String TOO_MANY_INVALID = "ussd.invalid.too_many";
  static final String DEADLINE = "ussd.deadline";
  static final String BUSY = "ussd.busy";
  static final String EXPIRED = "ussd.expired";
  static final String ERROR = "ussd.error";
  static final String EMPTY_LIST = "ussd.list.empty";
  static final String RESUME = "ussd.resume";
  static final String RESUME_CONTINUE = "ussd.resume.continue";
  static final String RESUME_RESTART = "ussd.resume.restart";
  static final String RATE_LIMITED = "ussd.rate_limited";

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry(MORE, "More"),
          Map.entry(BACK, "Back"),
          Map.entry(INVALID_CHOICE, "Invalid choice."),
          Map.entry(INVALID_INPUT, "Invalid entry."),
          Map.entry(TOO_MANY_INVALID, "Too many invalid entries. Please dial again."),
          Map.entry(
              DEADLINE,
              "Sorry, this is taking longer than expected. If anything is due, you will get an"
                  + " SMS."),
          Map.entry(BUSY, "The service is busy. Please try again shortly."),
          Map.entry(EXPIRED, "Your session has expired. Please dial again."),
          Map.entry(ERROR, "Sorry, the service is not available now. Please try again later."),
          Map.entry(EMPTY_LIST, "Nothing to show."),
          Map.entry(RESUME, "You did not finish last time."),
          Map.entry(RESUME_CONTINUE, "Continue where you stopped"),
          Map.entry(RESUME_RESTART, "Start again"),
          Map.entry(
              RATE_LIMITED,
              "Too many requests from this phone. Please wait a minute and dial again."));

  private final Messages messages;
  private final String defaultLanguage;

  Texts(Messages callerMessages, Messages menuMessages, String defaultLanguage) {
    this.messages = callerMessages.orElse(menuMessages);
    this.defaultLanguage = defaultLanguage;
  }

  /** The raw text, falling back to the default language, the engine default, then the key. */
  String raw(String key, String language) {
    Optional<String> text = messages.find(key, language);
    if (text.isEmpty() && !language.equals(defaultLanguage)) {
      text = messages.find(key, defaultLanguage);
    }
    return text.orElseGet(() -> DEFAULTS.getOrDefault(key, key));
  }

  String render(String key, String language, Map<String, String> vars) {
    return fill(raw(key, language), vars);
  }

  static String fill(String template, Map<String, String> vars) {
    if (template.indexOf('{') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      int close = c == '{' ? template.indexOf('}', i + 1) : -1;
      if (close > i + 1 && isName(template, i + 1, close)) {
        String value = vars.get(template.substring(i + 1, close));
        out.append(value == null ? "" : value);
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isName(String text, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = text.charAt(k);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
