package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutboxTest {
  static Fixture fx;
  static AssemblyLedger a;

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
    a = fx.newAssembly();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void queuedSmsIsClaimedOnceSubmittedAndDelivered() {
    long id = a.enqueueSms(new OutboundSmsDraft("0244555666", "Hello", Language.EN, "corr-1"));
    Instant now = Instant.now().plusSeconds(1);
    List<OutboxMessage> claimed = a.claimOutbox(10, now);
    assertThat(claimed).extracting(OutboxMessage::id).contains(id);
    assertThat(
            claimed.stream().filter(m -> m.id() == id).findFirst().orElseThrow().recipientMsisdn())
        .isEqualTo("233244555666");
    // Leased: a second claim at the same moment does not return it again.
    assertThat(a.claimOutbox(10, now)).extracting(OutboxMessage::id).doesNotContain(id);
    a.markSubmitted(id, List.of("abc123", "abc124"));
    assertThat(a.recordDeliveryReport("abc124", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.recordDeliveryReport("unknown-id", DeliveryState.DELIVERED, null)).isFalse();
    assertThatThrownBy(() -> a.markSubmitted(id, List.of("x")))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void retryComesBackWhenDueAndFailureIsFinal() {
    long id = a.enqueueSms(new OutboundSmsDraft("0244555667", "Retry me", Language.TW, null));
    Instant now = Instant.now().plusSeconds(1);
    assertThat(a.claimOutbox(50, now)).extracting(OutboxMessage::id).contains(id);
    a.markSmsRetry(id, now.plusSeconds(60), "throttled");
    assertThat(a.claimOutbox(50, now.plusSeconds(30)))
        .extracting(OutboxMessage::id)
        .doesNotContain(id);
    List<OutboxMessage> again = a.claimOutbox(50, now.plusSeconds(61));
    assertThat(again)
        .filteredOn(m -> m.id() == id)
        .singleElement()
        .extracting(OutboxMessage::attempts)
        .isEqualTo(2);
    a.markSmsFailed(id, "invalid destination");
    assertThat(a.claimOutbox(50, now.plusSeconds(3600)))
        .extracting(OutboxMessage::id)
        .doesNotContain(id);
  }

  @Test
  void inboundSmsIsStoredOncePerSmscId() {
    String smscId = "smsc-" + UUID.randomUUID();
    InboundSms sms =
        new InboundSms(smscId, "0244555668", "1444", "PAY C123 5.00 1234", Instant.now());
    assertThat(a.storeInbound(sms)).isTrue();
    assertThat(a.storeInbound(sms)).isFalse();
    assertThat(a.storeInbound(new InboundSms(null, "0244555668", "1444", "HELP", Instant.now())))
        .isTrue();
  }

  @Test
  void auditLogAcceptsJsonAndRejectsMissingActor() {
    a.audit("officer1", "TRADER_UPDATED", "trader:1", "{\"name\":\"a\"}", "{\"name\":\"b\"}");
    assertThatThrownBy(() -> a.audit(null, "X", "y", null, null))
        .isInstanceOf(InvalidInputException.class);
  }
}
