package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.menu.ActionResult;
import org.assemblypay.ussd.menu.Item;
import org.assemblypay.ussd.menu.Messages;

/** No screen the engine renders is over its budget, whatever the names, amounts and languages. */
class ScreenBudgetPropertiesTest {

  /** GSM-7 letters, the two-septet extension characters, and letters that force UCS-2. */
  private static final String POOL =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:-'@£$èé"
          + "^{}\\[]~|€ɛɔŋƐƆŊ₵ɖƒʋ";

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> plain =
        Arbitraries.strings().withChars(POOL.toCharArray()).ofMinLength(0).ofMaxLength(220);
    Arbitrary<String> withEmoji = plain.map(s -> s + "😀");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, plain), net.jqwik.api.Tuple.of(1, withEmoji));
  }

  @Provide
  Arbitrary<ScreenBudget> budgets() {
    return Arbitraries.of(
        ScreenBudget.DEFAULT, new ScreenBudget(160, 70), new ScreenBudget(120, 60));
  }

  @Provide
  Arbitrary<String> amounts() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 500).map(String::valueOf),
        Arbitraries.bigDecimals()
            .between(java.math.BigDecimal.ONE, new java.math.BigDecimal("500"))
            .ofScale(2)
            .map(java.math.BigDecimal::toPlainString));
  }

  @Property(tries = 200)
  void rendererPagesFitAndShowEveryLineOnce(
      @ForAll("texts") String title,
      @ForAll @Size(max = 97) List<@net.jqwik.api.constraints.StringLength(max = 90) String> raw,
      @ForAll("budgets") ScreenBudget budget) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      lines.add((i + 1) + ". " + raw.get(i));
    }
    int pages = ScreenRenderer.render(title, lines, 0, budget, "More", "Back").pageCount();
    int expectedFirst = 0;
    for (int page = 0; page < pages; page++) {
      ScreenRenderer.Page shown = ScreenRenderer.render(title, lines, page, budget, "More", "Back");
      assertThat(budget.fits(shown.text())).as(shown.text()).isTrue();
      assertThat(shown.firstLine()).isEqualTo(expectedFirst);
      assertThat(shown.endLine()).isGreaterThan(lines.isEmpty() ? -1 : shown.firstLine());
      expectedFirst = shown.endLine();
    }
    assertThat(expectedFirst).isEqualTo(lines.size());
  }

  @Property(tries = 60)
  void everyEngineScreenFitsItsBudget(
      @ForAll("texts") String name,
      @ForAll("texts") String titleTemplate,
      @ForAll @Size(max = 120)
          List<@net.jqwik.api.constraints.StringLength(max = 80) String> labels,
      @ForAll("amounts") String amount,
      @ForAll("budgets") ScreenBudget budget,
      @ForAll boolean twi,
      @ForAll @IntRange(min = 0, max = 6) int morePresses) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      items.add(new Item(labels.get(i), "v" + i));
    }
    String lang = twi ? "tw" : "en";
    UssdEngine engine =
        UssdEngine.builder()
            .menu(TestMenu.MENU)
            .store(
                new InMemorySessionStore(
                    SessionStoreSettings.DEFAULTS, Clock.systemUTC(), registry))
            .actionExecutor(Runnable::run)
            .meterRegistry(registry)
            .messages(
                Messages.of(
                    Map.of(
                        lang,
                        Map.of(
                            "main.title", titleTemplate + " {name}",
                            "pay.confirm", titleTemplate + " GHS {amount} {name}?"))))
            .action("greet", c -> ActionResult.show(Map.of("name", name, "lang", lang)))
            .action("pay", c -> ActionResult.show(Map.of()))
            .action("listItems", c -> ActionResult.items(items, Map.of()))
            .action("slow", c -> ActionResult.show(Map.of()))
            .build();
    String session = UUID.randomUUID().toString();
    List<String> inputs = new ArrayList<>(List.of("", "3"));
    for (int i = 0; i < morePresses; i++) {
      inputs.add("98");
    }
    inputs.addAll(List.of("0", "x", "00", "2", "abc", amount, "1"));
    long sequence = 0;
    for (String input : inputs) {
      sequence++;
      UssdRequest request =
          new UssdRequest(
              "prop",
              session,
              Msisdn.parse("0244000001").orElseThrow(),
              "*713*44#",
              "",
              input,
              sequence == 1,
              "*713*44#",
              OptionalLong.of(sequence),
              UssdRequest.InputStyle.SINGLE);
      UssdReply reply = engine.handle(request, budget).toCompletableFuture().join();
      assertThat(budget.fits(reply.text())).as("%s on input %s", reply.text(), input).isTrue();
      if (reply.ends()) {
        break;
      }
    }
  }
}
