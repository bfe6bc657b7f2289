package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.SMS_OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;

/** Base of the ledger tests that share one fresh assembly per test class. */
abstract class OneAssemblyTest extends FixtureTest {
  static AssemblyLedger a;

  @BeforeAll
  static void openAssembly() {
    a = fx.newAssembly();
  }

  /** An outbox row's status. */
  static String smsStatus(long id) {
    return a.dsl()
        .select(SMS_OUTBOX.STATUS)
        .from(SMS_OUTBOX)
        .where(SMS_OUTBOX.ID.eq(id))
        .fetchSingle()
        .value1();
  }

  /** Queues an SMS and claims it, as the dispatcher would; returns its outbox row. */
  static long claimedSms(String msisdn, String text) {
    long id = a.enqueueSms(new OutboundSmsDraft(msisdn, text, Language.EN, null));
    assertThat(a.claimOutbox(1000, Instant.now().plusSeconds(1)))
        .extracting(OutboxMessage::id)
        .contains(id);
    return id;
  }
}
