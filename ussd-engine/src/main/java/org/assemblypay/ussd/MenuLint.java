package org.assemblypay.ussd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;
import org.assemblypay.ussd.menu.MenuOption;
import org.assemblypay.ussd.menu.Messages;
import org.assemblypay.ussd.menu.Screen;

/**
 * Checks a menu before it ships (the {@code menus lint} command): unreachable screens, missing
 * translations, actions nobody supplies, and screens whose worst case (every variable at its
 * longest, in GSM-7 and in UCS-2) would not fit the budget.
 */
public final class MenuLint {

  /** Worst-case length of a list item's label when the menu does not say ({@code item}). */
  public static final int DEFAULT_ITEM_MAX_LENGTH = 40;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.]+)}");

  private MenuLint() {}

  /**
   * Every problem found, in screen order; empty means the menu is fit to ship.
   *
   * @param actionNames the actions the caller will supply
   * @param messages the caller's texts (the menu's inline texts are added)
   * @param defaultLanguage the language the engine's own English texts serve without translation
   */
  public static List<LintProblem> check(
      MenuDefinition menu,
      Set<String> actionNames,
      Messages messages,
      ScreenBudget budget,
      String defaultLanguage) {
    List<LintProblem> problems = new ArrayList<>();
    Messages all = messages.orElse(Messages.of(menu.messages()));
    Set<String> reachable = reachable(menu);
    for (Map.Entry<String, Screen> entry : menu.screens().entrySet()) {
      String id = entry.getKey();
      Screen screen = entry.getValue();
      if (!reachable.contains(id)) {
        problems.add(
            new LintProblem(
                LintProblem.Kind.UNREACHABLE_SCREEN, id, "", "no path from " + menu.start()));
      }
      if (screen.action() != null && !actionNames.contains(screen.action())) {
        problems.add(
            new LintProblem(LintProblem.Kind.DANGLING_ACTION, id, "", "action " + screen.action()));
      }
      for (String language : menu.languages()) {
        for (String key : keys(screen)) {
          if (all.find(key, language).isEmpty()) {
            problems.add(
                new LintProblem(LintProblem.Kind.MISSING_TRANSLATION, id, language, "key " + key));
          }
        }
        overBudget(menu, id, screen, language, all, budget).ifPresent(problems::add);
      }
    }
    for (String language : menu.languages()) {
      if (language.equals(defaultLanguage)) {
        continue;
      }
      for (String key : Texts.DEFAULTS.keySet().stream().sorted().toList()) {
        if (all.find(key, language).isEmpty()) {
          problems.add(
              new LintProblem(
                  LintProblem.Kind.MISSING_TRANSLATION, "(engine)", language, "key " + key));
        }
      }
    }
    return problems;
  }

  private static Set<String> reachable(MenuDefinition menu) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(menu.start());
    while (!todo.isEmpty()) {
      String id = todo.poll();
      Screen screen = menu.screens().get(id);
      if (screen == null || !seen.add(id)) {
        continue;
      }
      todo.addAll(MenuLoader.targets(screen));
    }
    return seen;
  }

  private static List<String> keys(Screen screen) {
    List<String> keys = new ArrayList<>();
    if (screen.text() != null) {
      keys.add(screen.text());
    }
    for (MenuOption option : screen.options()) {
      keys.add(option.label());
    }
    if (screen.input() != null && screen.input().invalid() != null) {
      keys.add(screen.input().invalid());
    }
    if (screen.list() != null && screen.list().empty() != null) {
      keys.add(screen.list().empty());
    }
    return keys;
  }

  private static Optional<LintProblem> overBudget(
      MenuDefinition menu,
      String id,
      Screen screen,
      String language,
      Messages messages,
      ScreenBudget budget) {
    if (screen.text() == null) {
      return Optional.empty();
    }
    for (char filler : new char[] {'W', 'ɛ'}) {
      String title = worst(messages, screen.text(), language, menu, filler);
      List<String> lines = new ArrayList<>();
      int longest = 0;
      if (screen.kind() == Screen.Kind.OPTIONS) {
        for (int i = 0; i < screen.options().size(); i++) {
          String line =
              (i + 1)
                  + ". "
                  + worst(messages, screen.options().get(i).label(), language, menu, filler);
          lines.add(line);
          longest = Math.max(longest, line.length());
        }
      } else if (screen.kind() == Screen.Kind.LIST) {
        int itemLength = menu.varMaxLengths().getOrDefault("item", DEFAULT_ITEM_MAX_LENGTH);
        lines.add(MenuLoader.MAX_OPTIONS + ". " + String.valueOf(filler).repeat(itemLength));
      }
      List<String> worstLines = new ArrayList<>();
      if (!lines.isEmpty()) {
        String widest = lines.get(0);
        for (String line : lines) {
          if (line.length() > widest.length()) {
            widest = line;
          }
        }
        worstLines.add(widest);
      }
      List<String> footer = new ArrayList<>();
      if (screen.kind() == Screen.Kind.LIST || lines.size() > 1) {
        footer.add(
            ScreenRenderer.MORE_INPUT + ". " + messages.find(Texts.MORE, language).orElse("More"));
        footer.add(
            ScreenRenderer.BACK_INPUT + ". " + messages.find(Texts.BACK, language).orElse("Back"));
      }
      List<String> parts = new ArrayList<>(worstLines);
      parts.addAll(footer);
      String text = title + (parts.isEmpty() ? "" : "\n" + String.join("\n", parts));
      if (!budget.fits(text)) {
        String encoding = Gsm7.isGsm7(text) ? "GSM-7" : "UCS-2";
        int size = Gsm7.isGsm7(text) ? Gsm7.septets(text) : text.length();
        int limit = Gsm7.isGsm7(text) ? budget.gsm7Chars() : budget.ucs2Chars();
        return Optional.of(
            new LintProblem(
                LintProblem.Kind.OVER_BUDGET,
                id,
                language,
                "worst case "
                    + size
                    + " "
                    + encoding
                    + " characters over "
                    + limit
                    + (filler == 'W' ? "" : " (a variable holding a non-GSM letter)")
                    + ": "
                    + text.replace("\n", "|")));
      }
    }
    return Optional.empty();
  }

  private static String worst(
      Messages messages, String key, String language, MenuDefinition menu, char filler) {
    String template = messages.find(key, language).orElse(key);
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      int length =
          menu.varMaxLengths()
              .getOrDefault(matcher.group(1), MenuDefinition.DEFAULT_VAR_MAX_LENGTH);
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(String.valueOf(filler).repeat(length)));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
