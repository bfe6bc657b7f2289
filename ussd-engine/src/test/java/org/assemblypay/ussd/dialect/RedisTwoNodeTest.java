package org.assemblypay.ussd.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assemblypay.session.redis.RedisSessionStore;
import org.assemblypay.session.redis.RedisSessionStoreConfig;
import org.assemblypay.session.testing.TestRedis;
import org.assemblypay.ussd.EngineConfig;
import org.assemblypay.ussd.TestMenu;
import org.assemblypay.ussd.dialect.Phone.Screen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two gateway nodes sharing one real Redis: a session may hop between them. */
class RedisTwoNodeTest {

  private final String prefix = TestRedis.randomKeyPrefix();
  private final CountDownLatch payGate = new CountDownLatch(1);
  private final TestMenu nodeA = node();
  private final TestMenu nodeB = node();
  private final UssdFront frontA = TranscriptTest.front(nodeA);
  private final UssdFront frontB = TranscriptTest.front(nodeB);

  private TestMenu node() {
    return new TestMenu(
        RedisSessionStore.connect(
            RedisSessionStoreConfig.standalone(TestRedis.url()).withKeyPrefix(prefix)),
        EngineConfig.DEFAULTS,
        payGate);
  }

  @AfterEach
  void close() {
    payGate.countDown();
    nodeA.close();
    nodeB.close();
    nodeA.store.close();
    nodeB.store.close();
  }

  @Test
  void aSessionContinuesOnWhicheverNodeGetsTheHop() {
    payGate.countDown();
    Phone onA = new Phone(frontA, "africastalking", TranscriptTest.TRADER, () -> {});
    Phone onB = new Phone(frontB, "africastalking", TranscriptTest.TRADER, () -> {});
    assertThat(onA.dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    // The same AT session, next hop on node B: build it from A's history.
    onA.prepare("2");
    assertThat(onB.send(onA.lastRequest())).isEqualTo(new Screen(true, "Enter amount"));
    onA.prepare("5");
    assertThat(onA.send(onA.lastRequest())).isEqualTo(new Screen(true, "Pay GHS 5.00?\n1. Yes"));
    onA.prepare("1");
    assertThat(onB.send(onA.lastRequest()))
        .isEqualTo(new Screen(false, "Paid GHS 5.00. Receipt by SMS."));
    assertThat(nodeA.payRuns.get() + nodeB.payRuns.get()).isEqualTo(1);
  }

  @Test
  void aDroppedSessionResumesOnAnotherNode() {
    payGate.countDown();
    Phone first = new Phone(frontA, "hubtel", TranscriptTest.TRADER, () -> {});
    first.dial("*713*44#");
    first.type("2");
    Phone again = new Phone(frontB, "hubtel", TranscriptTest.TRADER, () -> {});
    assertThat(again.dial("*713*44#").text()).startsWith("You did not finish last time.");
    assertThat(again.type("1")).isEqualTo(new Screen(true, "Enter amount"));
  }

  @Test
  void aFinishedSessionIsNotOfferedAgainOnAnyNode() {
    payGate.countDown();
    Phone first = new Phone(frontA, "africastalking", TranscriptTest.TRADER, () -> {});
    first.dial("*713*44#");
    first.type("2");
    first.type("5");
    // The END hop saves the session and forgets the phone's resume record in one script (D221).
    assertThat(first.type("1")).isEqualTo(new Screen(false, "Paid GHS 5.00. Receipt by SMS."));
    Phone again = new Phone(frontB, "africastalking", TranscriptTest.TRADER, () -> {});
    assertThat(again.dial("*713*44#")).isEqualTo(new Screen(true, TranscriptTest.MAIN));
    assertThat(nodeA.payRuns.get() + nodeB.payRuns.get()).isEqualTo(1);
  }

  @Test
  void copiesOfOneHopOnTwoNodesGiveOneAnswer() throws Exception {
    Phone phone = new Phone(frontA, "hubtel", TranscriptTest.TRADER, () -> {});
    phone.dial("*713*44#");
    phone.type("2");
    phone.type("5");
    DialectRequest confirm = phone.prepare("1");
    var onA = frontA.handle("hubtel", confirm).toCompletableFuture();
    var onB = frontB.handle("hubtel", confirm).toCompletableFuture();
    // Both nodes have loaded the session and are inside the action before either may save.
    assertThat(nodeA.payStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(nodeB.payStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    payGate.countDown();
    Screen a = phone.read(onA.get(10, TimeUnit.SECONDS));
    Screen b = phone.read(onB.get(10, TimeUnit.SECONDS));
    assertThat(a).isEqualTo(new Screen(false, "Paid GHS 5.00. Receipt by SMS."));
    assertThat(b).isEqualTo(a);
    // Compare-and-set let exactly one node's result stand; the other answered from it.
    assertThat(
            nodeA.counter("ussd.hops", "outcome", "conflict")
                + nodeB.counter("ussd.hops", "outcome", "conflict"))
        .isEqualTo(1.0);
    assertThat(phone.retry()).isEqualTo(a);
  }
}
