package org.assemblypay.menus.trader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.assemblypay.menus.Translations;
import org.assemblypay.ussd.MenuGraph;
import org.assemblypay.ussd.MenuLint;
import org.assemblypay.ussd.ScreenBudget;
import org.junit.jupiter.api.Test;

/**
 * The build fails when the traders' menu has an unreachable screen, a missing translation, a
 * dangling action or a screen whose worst case is over the budget.
 */
class TraderMenuLintTest {

  @Test
  void theTradersMenuIsCleanInEveryLanguage() {
    Translations translations = Translations.load();
    TraderMenu menu = TraderMenu.create(null, null, translations, Clock.systemUTC());

    assertThat(menu.definition().languages()).containsExactlyElementsOf(Translations.LANGUAGES);
    assertThat(
            MenuLint.check(
                menu.definition(),
                menu.actions().keySet(),
                translations,
                ScreenBudget.DEFAULT,
                "en"))
        .isEmpty();
  }

  @Test
  void everyTranslationHasEveryKeyAndSaysWhetherItWasReviewed() {
    Translations translations = Translations.load();
    for (String language : Translations.LANGUAGES) {
      assertThat(translations.missingKeys(language)).as(language).isEmpty();
      assertThat(translations.meta(language).reviewed())
          .as(language)
          .isEqualTo(language.equals("en"));
    }
  }

  @Test
  void theGraphShowsEveryScreen() {
    TraderMenu menu = TraderMenu.create(null, null, Translations.load(), Clock.systemUTC());
    String graph = MenuGraph.mermaid(menu.definition());
    assertThat(graph).startsWith("flowchart TD");
    menu.definition().screens().keySet().forEach(id -> assertThat(graph).contains("s_" + id));
  }
}
