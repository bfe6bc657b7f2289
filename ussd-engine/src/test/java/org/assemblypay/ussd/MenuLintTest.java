package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;
import org.assemblypay.ussd.menu.Messages;
import org.junit.jupiter.api.Test;

class MenuLintTest {

  private static final Set<String> TEST_ACTIONS = Set.of("greet", "pay", "listItems", "slow");

  private static MenuDefinition yaml(String text) {
    return MenuLoader.load(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "lint-test.yaml");
  }

  @Test
  void theTestMenuOnlyLacksTheEnginesOwnTextsInTwi() {
    List<LintProblem> problems =
        MenuLint.check(TestMenu.MENU, TEST_ACTIONS, Messages.none(), ScreenBudget.DEFAULT, "en");
    assertThat(problems)
        .isNotEmpty()
        .allMatch(
            p ->
                p.kind() == LintProblem.Kind.MISSING_TRANSLATION
                    && p.screen().equals("(engine)")
                    && p.language().equals("tw"));
    assertThat(problems).hasSize(Texts.DEFAULTS.size());
  }

  @Test
  void findsUnreachableScreensMissingTextsDanglingActionsAndOverBudgetScreens() {
    MenuDefinition menu =
        yaml(
            """
            start: main
            languages: [en, ee]
            varMaxLengths: {name: 120}
            screens:
              main:
                text: main.title
                action: greet
                options:
                  - {label: main.one, next: done}
              done:
                text: done.text
                end: true
              orphan:
                text: done.text
                end: true
            messages:
              en:
                main.title: "Hello {name}"
                main.one: One
                done.text: Bye
              ee:
                main.title: "Woezɔ {name}"
                main.one: Ɖeka
            """);
    List<LintProblem> problems =
        MenuLint.check(menu, Set.of(), Messages.none(), ScreenBudget.DEFAULT, "ee");
    assertThat(problems)
        .extracting(LintProblem::toString)
        .contains(
            "UNREACHABLE_SCREEN screen=orphan: no path from main",
            "DANGLING_ACTION screen=main: action greet",
            "MISSING_TRANSLATION screen=done language=ee: key done.text",
            "MISSING_TRANSLATION screen=(engine) language=en: key ussd.more");
    assertThat(problems)
        .filteredOn(p -> p.kind() == LintProblem.Kind.OVER_BUDGET)
        .extracting(p -> p.screen() + "/" + p.language())
        .containsExactlyInAnyOrder("main/en", "main/ee");
  }

  @Test
  void callerMessagesCountAsTranslations() {
    MenuDefinition menu =
        yaml(
            """
            start: main
            languages: [en]
            screens:
              main:
                text: main.title
                end: true
            """);
    assertThat(
            MenuLint.check(
                menu,
                Set.of(),
                Messages.of(java.util.Map.of("en", java.util.Map.of("main.title", "Hi"))),
                ScreenBudget.DEFAULT,
                "en"))
        .isEmpty();
    assertThat(MenuLint.check(menu, Set.of(), Messages.none(), ScreenBudget.DEFAULT, "en"))
        .extracting(LintProblem::kind)
        .containsExactly(LintProblem.Kind.MISSING_TRANSLATION);
  }
}
