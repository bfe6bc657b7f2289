package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The correlation id is stored on the payment and carried to the SMS its settlement queues. */
class CorrelationIdsTest extends OneAssemblyTest {

  private static NewPayment intent(long traderId, String correlationId) {
    return new NewPayment(
        UUID.randomUUID(),
        "simulator",
        traderId,
        "0244000001",
        500,
        PaymentPurpose.AMOUNT,
        Language.EN,
        "MTN",
        correlationId);
  }

  @Test
  void anIntentStoresItsOwnIdOrTheCurrentOneOrNone() {
    Trader t = Fixture.trader(a, "MKT");
    Payment own = Correlation.call("u-other", () -> a.createPaymentIntent(intent(t.id(), "u-own")));
    assertThat(own.correlationId()).contains("u-own");
    assertThat(a.payment(own.reference()).orElseThrow().correlationId()).contains("u-own");

    Payment current = Correlation.call("u-hop", () -> a.createPaymentIntent(intent(t.id(), null)));
    assertThat(current.correlationId()).contains("u-hop");

    Payment none = a.createPaymentIntent(intent(t.id(), null));
    assertThat(none.correlationId()).isEmpty();
    assertThat(none.logCorrelationId()).isEqualTo(none.reference().toString());

    Payment junk = a.createPaymentIntent(intent(t.id(), "not safe; drop table"));
    assertThat(junk.correlationId()).isEmpty();
  }

  @Test
  void aSettlementRunUnderThePaymentsIdQueuesItsReceiptUnderThatIdOnceWhenReplayed() {
    Trader t = Fixture.trader(a, "MKT");
    Payment p = a.createPaymentIntent(intent(t.id(), "u-settle-1"));
    a.markPending(p.reference());
    Settlement first =
        Correlation.call(
            p.logCorrelationId(),
            () -> a.settleSuccessful(p.reference(), 500, "SIM-1", Fixture.NOTIFIER));
    Settlement again =
        Correlation.call(
            p.logCorrelationId(),
            () -> a.settleSuccessful(p.reference(), 500, "SIM-1", Fixture.NOTIFIER));
    assertThat(again.transferId()).isEqualTo(first.transferId());

    List<OutboxMessage> claimed = a.claimOutbox(1000, Instant.now().plusSeconds(1));
    assertThat(claimed.stream().filter(m -> "u-settle-1".equals(m.correlationId())))
        .as("one receipt SMS, carrying the payment's id")
        .hasSize(1);
  }

  @Test
  void outsideAnyActionAnSmsKeepsItsDraftsOwnKey() {
    long id = a.enqueueSms(new OutboundSmsDraft("0244555777", "Hello", Language.EN, "key-1"));
    long inScope =
        Correlation.call(
            "s-cmd-1",
            () -> a.enqueueSms(new OutboundSmsDraft("0244555778", "Hi", Language.EN, "key-2")));
    List<OutboxMessage> claimed = a.claimOutbox(1000, Instant.now().plusSeconds(1));
    assertThat(claimed)
        .filteredOn(m -> m.id() == id)
        .singleElement()
        .extracting(OutboxMessage::correlationId)
        .isEqualTo("key-1");
    assertThat(claimed)
        .filteredOn(m -> m.id() == inScope)
        .singleElement()
        .extracting(OutboxMessage::correlationId)
        .isEqualTo("s-cmd-1");
  }
}
