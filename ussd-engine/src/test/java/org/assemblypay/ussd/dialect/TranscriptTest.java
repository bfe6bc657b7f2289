package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ussd.EngineConfig;
import org.assemblypay.ussd.TestMenu;
import org.assemblypay.ussd.dialect.Phone.Screen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A trader's day on the test menu, through every aggregator's wire format. */
class TranscriptTest {

  static final String TRADER = "233244000001";
  static final String MAIN = "Welcome Ama\n1. Check balance\n2. Pay\n3. Items\n4. Slow";

  private TestMenu menu = new TestMenu();
  private UssdFront front = front(menu);

  static UssdFront front(TestMenu menu) {
    return new UssdFront(
        menu.engine,
        List.of("africastalking", "hubtel", "nalo", "arkesel").stream()
            .map(
                name -> AggregatorConfig.of(name, Phone.SECRET).withServiceCode(Phone.SERVICE_CODE))
            .toList(),
        Dialects.standard());
  }

  @AfterEach
  void close() {
    menu.close();
  }

  private Phone phone(String dialect) {
    // A person takes a few seconds to read and answer; aggregator retries come back at once.
    return new Phone(front, dialect, TRADER, () -> menu.clock.advanceMillis(4000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void checksTheBalanceGoesBackAndPays(String dialect) {
    Phone phone = phone(dialect);
    assertThat(phone.dial("*713*44#")).isEqualTo(new Screen(true, MAIN));
    assertThat(phone.type("1")).isEqualTo(new Screen(true, "You owe GHS 12.50\n1. Pay now"));
    assertThat(phone.type("0")).isEqualTo(new Screen(true, MAIN));
    assertThat(phone.type("2")).isEqualTo(new Screen(true, "Enter amount"));
    assertThat(phone.type("abc"))
        .isEqualTo(new Screen(true, "Amount must be 1 to 500.\nEnter amount"));
    assertThat(phone.type("5")).isEqualTo(new Screen(true, "Pay GHS 5.00?\n1. Yes"));
    assertThat(phone.type("1")).isEqualTo(new Screen(false, "Paid GHS 5.00. Receipt by SMS."));
    assertThat(menu.payRuns).hasValue(1);
    assertThat(menu.counter("ussd.sessions.started")).isEqualTo(1.0);
    assertThat(menu.counter("ussd.sessions.ended")).isEqualTo(1.0);
    assertThat(menu.counter("ussd.hops", "dialect", dialect, "outcome", "end")).isEqualTo(1.0);
    assertThat(menu.counter("ussd.screen.views", "screen", "main")).isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void anInputContainingAStarIsOneInput(String dialect) {
    Phone phone = phone(dialect);
    phone.dial("*713*44#");
    phone.type("2");
    // "5*2" is one (invalid) amount, not the inputs 5 and 2.
    assertThat(phone.type("5*2"))
        .isEqualTo(new Screen(true, "Amount must be 1 to 500.\nEnter amount"));
    assertThat(phone.type("7")).isEqualTo(new Screen(true, "Pay GHS 7.00?\n1. Yes"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void longListsPaginateWithMoreAndBack(String dialect) {
    Phone phone = phone(dialect);
    phone.dial("*713*44#");
    Screen first = phone.type("3");
    assertThat(first.continues()).isTrue();
    assertThat(first.text()).startsWith("Your items\n1. Stall 1 rent GHS 1.00\n");
    assertThat(first.text()).endsWith("\n98. More").doesNotContain("0. Back");
    Screen second = phone.type("98");
    assertThat(second.text()).startsWith("Your items\n").endsWith("98. More\n0. Back");
    String firstOnSecond = second.text().split("\n")[1];
    assertThat(phone.type("0")).isEqualTo(first);
    assertThat(phone.type("98")).isEqualTo(second);
    String number = firstOnSecond.substring(0, firstOnSecond.indexOf('.'));
    Screen invalid = phone.type("1");
    assertThat(invalid.text()).startsWith("Invalid choice.\nYour items\n" + firstOnSecond);
    assertThat(invalid.text().length()).isLessThanOrEqualTo(182);
    assertThat(phone.type(number).text())
        .isEqualTo("You chose Stall " + number + " rent GHS " + number + ".00");
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void homeGoesToTheMainMenuFromAnywhere(String dialect) {
    Phone phone = phone(dialect);
    phone.dial("*713*44#");
    phone.type("1");
    phone.type("1");
    assertThat(phone.type("00")).isEqualTo(new Screen(true, MAIN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void threeRepromptsThenAPoliteEnd(String dialect) {
    Phone phone = phone(dialect);
    phone.dial("*713*44#");
    assertThat(phone.type("9")).isEqualTo(new Screen(true, "Invalid choice.\n" + MAIN));
    assertThat(phone.type("x")).isEqualTo(new Screen(true, "Invalid choice.\n" + MAIN));
    assertThat(phone.type("7")).isEqualTo(new Screen(true, "Invalid choice.\n" + MAIN));
    assertThat(phone.type("8"))
        .isEqualTo(new Screen(false, "Too many invalid entries. Please dial again."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void directDialJumpsToTheOptionPath(String dialect) {
    Phone phone = phone(dialect);
    assertThat(phone.dial("*713*44*2#")).isEqualTo(new Screen(true, "Enter amount"));
    assertThat(phone.type("5")).isEqualTo(new Screen(true, "Pay GHS 5.00?\n1. Yes"));
    Phone other = phone(dialect);
    assertThat(other.dial("*713*44*1*1#")).isEqualTo(new Screen(true, "Enter amount"));
    Phone wrong = phone(dialect);
    assertThat(wrong.dial("*713*44*9#")).isEqualTo(new Screen(true, MAIN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aRetriedHopIsReplayedWithoutRunningActionsAgain(String dialect) {
    Phone phone = phone(dialect);
    Screen main = phone.dial("*713*44#");
    assertThat(phone.retry()).isEqualTo(main);
    assertThat(menu.greetRuns).hasValue(1);
    phone.type("2");
    phone.type("5");
    Screen paid = phone.type("1");
    assertThat(phone.retry()).isEqualTo(paid);
    assertThat(phone.retry()).isEqualTo(paid);
    assertThat(menu.payRuns).hasValue(1);
    assertThat(menu.counter("ussd.hops", "outcome", "replay")).isEqualTo(3.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void twoCopiesOfOneHopArrivingAtOnceRunOnce(String dialect) throws Exception {
    menu.close();
    CountDownLatch gate = new CountDownLatch(1);
    menu = new TestMenu(null, EngineConfig.DEFAULTS, gate);
    front = front(menu);
    Phone phone = phone(dialect);
    phone.dial("*713*44#");
    phone.type("2");
    phone.type("5");
    DialectRequest confirm = phone.prepare("1");
    var one = phone.sendAsync(confirm);
    var two = phone.sendAsync(confirm);
    assertThat(one).isNotDone();
    gate.countDown();
    Screen first = phone.read(one.get(10, TimeUnit.SECONDS));
    Screen second = phone.read(two.get(10, TimeUnit.SECONDS));
    assertThat(first).isEqualTo(new Screen(false, "Paid GHS 5.00. Receipt by SMS."));
    assertThat(second).isEqualTo(first);
    assertThat(menu.payRuns).hasValue(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void aDroppedSessionCanBeResumed(String dialect) {
    Phone first = phone(dialect);
    first.dial("*713*44#");
    first.type("2");
    first.type("5");
    Phone again = phone(dialect);
    assertThat(again.dial("*713*44#"))
        .isEqualTo(
            new Screen(
                true,
                "You did not finish last time.\n1. Continue where you stopped\n2. Start again"));
    assertThat(again.type("1")).isEqualTo(new Screen(true, "Pay GHS 5.00?\n1. Yes"));
    assertThat(again.type("1").continues()).isFalse();
    assertThat(menu.counter("ussd.sessions.resumed")).isEqualTo(1.0);
    Phone third = phone(dialect);
    assertThat(third.dial("*713*44#")).isEqualTo(new Screen(true, MAIN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void startingAgainForgetsTheDroppedSession(String dialect) {
    Phone first = phone(dialect);
    first.dial("*713*44#");
    first.type("1");
    Phone again = phone(dialect);
    again.dial("*713*44#");
    assertThat(again.type("2")).isEqualTo(new Screen(true, MAIN));
    Phone third = phone(dialect);
    assertThat(third.dial("*713*44#")).isEqualTo(new Screen(true, MAIN));
  }
}
