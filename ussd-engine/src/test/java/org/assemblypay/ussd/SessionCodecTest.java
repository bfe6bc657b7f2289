package org.assemblypay.ussd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assemblypay.ussd.menu.Item;
import org.junit.jupiter.api.Test;

/**
 * The compact session form (D192) reads back exactly, and the JSON of earlier releases still reads.
 */
class SessionCodecTest {

  private static SessionState sample() {
    SessionState s = new SessionState();
    s.screen = "pay.confirm";
    s.page = 2;
    s.stack = new java.util.ArrayList<>(List.of("main", "pay", ""));
    s.vars.put("lang", "tw");
    s.vars.put("amount", "GHS 2.50");
    s.vars.put("odd:key;", "12:!;T\nF€ŋɛ😀");
    s.vars.put("empty", "");
    s.items = new java.util.ArrayList<>(List.of(new Item("Makola 3:4", "7"), new Item("", "!")));
    s.invalidCount = 1;
    s.consumedText = "1*0*2";
    s.lastInput = "1*0*2";
    s.lastSequence = -1;
    s.lastHopAtMillis = 1_795_000_000_123L;
    s.replyText = "Pay GHS 2.50 today?\n1. Yes\n2. No";
    s.replyEnds = false;
    s.ended = true;
    s.hop = 4;
    s.resumePayload = null;
    s.resumeSessionId = "ATUid_1;2:3";
    s.network = "62001";
    return s;
  }

  private static void assertSame(SessionState a, SessionState b) {
    assertThat(b).usingRecursiveComparison().isEqualTo(a);
    assertThat(List.copyOf(b.vars.keySet())).isEqualTo(List.copyOf(a.vars.keySet()));
  }

  @Test
  void everyFieldReadsBackExactlyIncludingANestedPayload() {
    SessionState s = sample();
    String encoded = UssdEngine.serialize(s);
    assertThat(encoded).startsWith("~1");
    assertSame(s, UssdEngine.parse(encoded));

    SessionState outer = new SessionState();
    outer.resumePayload = encoded;
    SessionState back = UssdEngine.parse(UssdEngine.serialize(outer));
    assertSame(outer, back);
    assertSame(s, UssdEngine.parse(back.resumePayload));
  }

  @Test
  void aFreshStateReadsBack() {
    SessionState s = new SessionState();
    assertSame(s, UssdEngine.parse(UssdEngine.serialize(s)));
  }

  @Test
  void jsonWrittenByEarlierReleasesIsStillRead() {
    SessionState s = sample();
    String json = UssdEngine.serializeJson(s);
    assertThat(json).startsWith("{");
    assertSame(s, UssdEngine.parse(json));
  }

  @Test
  void itIsSmallerThanTheJson() {
    SessionState s = sample();
    assertThat(UssdEngine.serialize(s).length()).isLessThan(UssdEngine.serializeJson(s).length());
  }

  @Test
  void aDamagedPayloadIsRefusedNotMisread() {
    String good = UssdEngine.serialize(sample());
    for (String bad :
        List.of(
            "~1",
            good.substring(0, good.length() - 1),
            good + "x",
            good.replace("11:pay.confirm", "99:pay.confirm"),
            "~1x:abc",
            "~2" + good.substring(2),
            "not a session")) {
      assertThatThrownBy(() -> UssdEngine.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
