package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The payer's routed network is stored with the intent, so a re-send after a restart uses it. */
class PaymentNetworkTest extends OneAssemblyTest {

  private static NewPayment intent(long traderId, String network) {
    return new NewPayment(
        UUID.randomUUID(),
        "hubtel",
        traderId,
        "0244000001",
        500,
        PaymentPurpose.AMOUNT,
        Language.EN,
        network);
  }

  @Test
  void theNetworkIsStoredAndReadBackAndMayBeUnknown() {
    Trader t = Fixture.trader(a, "MKT");
    Payment ported = a.createPaymentIntent(intent(t.id(), "TELECEL"));
    assertThat(ported.network()).contains("TELECEL");
    assertThat(a.payment(ported.reference()).orElseThrow().network()).contains("TELECEL");

    Payment unknown = Fixture.intent(a, t.id(), 500);
    assertThat(unknown.network()).isEmpty();
    assertThat(a.markExpired(a.markPending(unknown.reference()).reference()).network()).isEmpty();
  }

  @Test
  void aMalformedNetworkIsRefused() {
    Trader t = Fixture.trader(a, "MKT");
    assertThatThrownBy(() -> a.createPaymentIntent(intent(t.id(), "telecel; drop")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aMalformedProviderNameIsRefusedAndAWellFormedOneKept() {
    Trader t = Fixture.trader(a, "MKT");
    for (String bad : new String[] {"MTN", "mtn momo", "", "a".repeat(33)}) {
      assertThatThrownBy(
              () ->
                  a.createPaymentIntent(
                      new NewPayment(
                          UUID.randomUUID(),
                          bad,
                          t.id(),
                          "0244000001",
                          500,
                          PaymentPurpose.AMOUNT,
                          Language.EN,
                          null)))
          .as(bad)
          .isInstanceOf(InvalidInputException.class);
    }
    Payment ok =
        a.createPaymentIntent(
            new NewPayment(
                UUID.randomUUID(),
                "mtn_gh-2",
                t.id(),
                "0244000001",
                500,
                PaymentPurpose.AMOUNT,
                Language.EN,
                null));
    assertThat(ok.provider()).isEqualTo("mtn_gh-2");
  }
}
