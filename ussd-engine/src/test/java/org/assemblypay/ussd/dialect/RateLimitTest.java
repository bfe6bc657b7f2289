package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.assemblypay.ussd.TestMenu;
import org.assemblypay.ussd.dialect.Phone.Screen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A phone over its hop limit gets a polite END, touches no session, and is served a minute on. */
class RateLimitTest {

  static final String OTHER = "233244000002";
  static final String REFUSED =
      "Too many requests from this phone. Please wait a minute and dial again.";

  private final TestMenu menu = new TestMenu();
  private final UssdFront front = TranscriptTest.front(menu);

  @AfterEach
  void close() {
    menu.close();
  }

  private Phone phone(String dialect, String msisdn) {
    // The clock stands still: every hop falls in the same minute.
    return new Phone(front, dialect, msisdn, () -> {});
  }

  private boolean stored(Phone phone) throws Exception {
    return menu.store
        .load(phone.sessionId())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"africastalking", "hubtel", "nalo", "arkesel"})
  void theThirtyFirstHopInAMinuteIsRefusedPolitely(String dialect) throws Exception {
    Phone phone = phone(dialect, TranscriptTest.TRADER);
    assertThat(phone.dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    for (int hop = 2; hop <= 30; hop++) {
      assertThat(phone.type("00")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    }

    int greets = menu.greetRuns.get();
    Phone again = phone(dialect, TranscriptTest.TRADER);
    assertThat(again.dial("*713*44#")).isEqualTo(new Screen(false, REFUSED));
    assertThat(again.retry()).isEqualTo(new Screen(false, REFUSED));
    assertThat(stored(again)).isFalse();
    assertThat(menu.greetRuns).hasValue(greets);
    assertThat(menu.counter("ussd.rate_limited", "dialect", dialect)).isEqualTo(2.0);

    Phone other = phone(dialect, OTHER);
    assertThat(other.dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    assertThat(stored(other)).isTrue();
    assertThat(menu.registry.get("ussd.rate_limit.phones").gauge().value()).isEqualTo(2.0);

    menu.clock.advanceMillis(60_000);
    Phone later = phone(dialect, TranscriptTest.TRADER);
    assertThat(later.dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    assertThat(menu.counter("ussd.rate_limited")).isEqualTo(2.0);
  }
}
