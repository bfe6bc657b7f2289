package org.assemblypay.gateway.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.assemblypay.menus.Translations;
import org.assemblypay.menus.trader.TraderMenu;
import org.assemblypay.ussd.LintProblem;
import org.assemblypay.ussd.MenuGraph;
import org.assemblypay.ussd.MenuLint;
import org.assemblypay.ussd.ScreenBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway menus lint|graph}: checks the traders' menu and draws it. */
@Command(
    name = "menus",
    mixinStandardHelpOptions = true,
    description = "Check (lint) or draw (graph) the traders' USSD menu.",
    subcommands = {MenusCommand.Lint.class, MenusCommand.Graph.class})
public final class MenusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static TraderMenu load() {
    // Only the screens, texts and action names are needed: nothing is run.
    return TraderMenu.create(null, null, Translations.load(), Clock.systemUTC());
  }

  /** Fails on unreachable screens, missing translations, dangling actions, over-budget screens. */
  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      description = "Check the menu; exit 1 on any problem.")
  static final class Lint implements Callable<Integer> {
    @Option(
        names = "--gsm-chars",
        defaultValue = "182",
        description = "Screen budget, all GSM-7 (default ${DEFAULT-VALUE}).")
    int gsmChars;

    @Option(
        names = "--ucs2-chars",
        defaultValue = "80",
        description = "Screen budget with any UCS-2 character (default ${DEFAULT-VALUE}).")
    int ucs2Chars;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      TraderMenu menu = load();
      List<LintProblem> problems =
          MenuLint.check(
              menu.definition(),
              menu.actions().keySet(),
              menu.translations(),
              new ScreenBudget(gsmChars, ucs2Chars),
              "en");
      PrintWriter out = spec.commandLine().getOut();
      problems.forEach(p -> out.println(p));
      for (String language : Translations.LANGUAGES) {
        if (!menu.translations().meta(language).reviewed()) {
          out.println("note: " + language + " translation is not yet reviewed by a fluent speaker");
        }
      }
      out.printf(
          "%d screens, %d languages: %s%n",
          menu.definition().screens().size(),
          menu.definition().languages().size(),
          problems.isEmpty() ? "no problems" : problems.size() + " problem(s)");
      out.flush();
      return problems.isEmpty() ? 0 : 1;
    }
  }

  /** Prints the menu as a Mermaid flowchart. */
  @Command(
      name = "graph",
      mixinStandardHelpOptions = true,
      description = "Print the menu as Mermaid.")
  static final class Graph implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(MenuGraph.mermaid(load().definition()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
