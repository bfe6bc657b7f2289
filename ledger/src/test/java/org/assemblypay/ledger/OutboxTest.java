package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.SMS_MESSAGE_IDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutboxTest extends OneAssemblyTest {

  /** The SMSC identity the tests submit under and report from, unless they name another. */
  private static final String SMSC = "smsc-a";

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
    a.markSubmitted(id, SmscMessageId.all(SMSC, List.of("abc123", "abc124")));
    assertThat(a.recordDeliveryReport(SMSC, "abc124", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.recordDeliveryReport(SMSC, "unknown-id", DeliveryState.DELIVERED, null)).isFalse();
    assertThatThrownBy(() -> a.markSubmitted(id, SmscMessageId.all(SMSC, List.of("x"))))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void multiPartMessageKeepsItsWorstReportedState() {
    String p = "mp-" + UUID.randomUUID();
    long id = claimedSms("0244555670", "Long receipt");
    a.markSubmitted(id, SmscMessageId.all(SMSC, List.of(p + "-1", p + "-2", p + "-3")));
    assertThat(a.dsl().fetchCount(SMS_MESSAGE_IDS, SMS_MESSAGE_IDS.OUTBOX_ID.eq(id))).isEqualTo(3);
    assertThat(a.recordDeliveryReport(SMSC, p + "-1", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(smsStatus(id)).isEqualTo("DELIVERED");
    assertThat(a.recordDeliveryReport(SMSC, p + "-2", DeliveryState.UNDELIVERABLE, "0x0b"))
        .isTrue();
    assertThat(smsStatus(id)).isEqualTo("UNDELIVERABLE");
    // A later DELIVERED part (or a repeated report) matches but does not hide the failed part.
    assertThat(a.recordDeliveryReport(SMSC, p + "-3", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.recordDeliveryReport(SMSC, p + "-2", DeliveryState.UNDELIVERABLE, "0x0b"))
        .isTrue();
    assertThat(smsStatus(id)).isEqualTo("UNDELIVERABLE");
    assertThat(a.recordDeliveryReport(SMSC, p + "-3", DeliveryState.EXPIRED, null)).isTrue();
    assertThat(smsStatus(id)).isEqualTo("UNDELIVERABLE");
    assertThat(a.recordDeliveryReport(SMSC, p + "-1", DeliveryState.REJECTED, null)).isTrue();
    assertThat(smsStatus(id)).isEqualTo("FAILED");
    assertThat(a.recordDeliveryReport(SMSC, p + "-1", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(smsStatus(id)).isEqualTo("FAILED");
  }

  @Test
  void batchesWriteSubmissionsAndReportsInOneCallEach() {
    String p = "batch-" + UUID.randomUUID();
    long first = claimedSms("0244555671", "One");
    long second = claimedSms("0244555672", "Two");
    long gone = claimedSms("0244555673", "Three");
    a.markSmsFailed(gone, "taken elsewhere");
    Map<Long, List<SmscMessageId>> batch = new HashMap<>();
    batch.put(first, SmscMessageId.all(SMSC, List.of(p + "-a")));
    batch.put(second, SmscMessageId.all(SMSC, List.of(p + "-b", p + "-c")));
    batch.put(gone, SmscMessageId.all(SMSC, List.of(p + "-d")));
    assertThat(a.markSubmittedAll(batch)).containsExactlyInAnyOrder(first, second);
    assertThat(smsStatus(first)).isEqualTo("SUBMITTED");
    assertThat(smsStatus(gone)).isEqualTo("FAILED");
    assertThat(
            a.recordDeliveryReports(
                List.of(
                    new DeliveryUpdate(SMSC, p + "-a", DeliveryState.DELIVERED, null),
                    new DeliveryUpdate(SMSC, p + "-b", DeliveryState.EXPIRED, null),
                    new DeliveryUpdate(SMSC, p + "-c", DeliveryState.DELIVERED, null),
                    new DeliveryUpdate(SMSC, p + "-d", DeliveryState.DELIVERED, null),
                    new DeliveryUpdate(SMSC, p + "-z", DeliveryState.DELIVERED, null))))
        .containsExactlyInAnyOrder(keys(p + "-a", p + "-b", p + "-c"));
    assertThat(smsStatus(first)).isEqualTo("DELIVERED");
    assertThat(smsStatus(second)).isEqualTo("EXPIRED");
    assertThat(a.markSubmittedAll(Map.of())).isEmpty();
    assertThat(a.recordDeliveryReports(List.of())).isEmpty();
    assertThatThrownBy(() -> a.markSubmittedAll(Map.of(first, List.of())))
        .isInstanceOf(InvalidInputException.class);
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
  void aClaimHoldsTheRowForItsLeaseAndARetryReleasesItAtItsOwnTime() {
    long lost = a.enqueueSms(new OutboundSmsDraft("0244555668", "Lease", Language.EN, null));
    long retried = a.enqueueSms(new OutboundSmsDraft("0244555669", "Soon", Language.EN, null));
    Instant now = Instant.now().plusSeconds(1);
    assertThat(a.claimOutbox(50, now)).extracting(OutboxMessage::id).contains(lost, retried);
    // A retry due before the claim's lease would end comes back at the retry's time.
    a.markSmsRetry(retried, now.plusSeconds(2), "throttled");
    assertThat(a.claimOutbox(50, now.plusSeconds(3)))
        .extracting(OutboxMessage::id)
        .contains(retried)
        .doesNotContain(lost);
    // The node that claimed the other row died: it is claimed again once the lease runs out.
    assertThat(a.claimOutbox(50, now.plusSeconds(31)))
        .filteredOn(m -> m.id() == lost)
        .singleElement()
        .extracting(OutboxMessage::attempts)
        .isEqualTo(2);
  }

  /**
   * A claim, a submission and a delivery report can only be HOT updates (V14, D200) when no index
   * on the outbox reads a column they change, as a key or in a partial index's predicate.
   */
  @Test
  void noOutboxIndexReadsAColumnThatClaimsOrReportsChange() {
    List<String> indexes =
        a.dsl()
            .fetch(
                "select pg_get_indexdef(i.indexrelid) from pg_index i"
                    + " join pg_class c on c.oid = i.indrelid"
                    + " join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relname = 'sms_outbox' and n.nspname = ?",
                a.assembly().schemaName())
            .getValues(0, String.class);
    assertThat(indexes).anyMatch(d -> d.contains("sms_outbox_due_ix") && d.contains("queued"));
    for (String column :
        List.of(
            "status",
            "attempts",
            "claimed_until",
            "updated_at",
            "error_code",
            "delivered_at",
            "last_error")) {
      assertThat(indexes).noneMatch(d -> d.matches("(?s).*\\b" + column + "\\b.*"));
    }
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

  @Test
  void oneBatchWithEveryPartOfAMessageKeepsTheWorstAndCountsSubmitAttempts() {
    String p = "parts-" + UUID.randomUUID();
    long id = claimedSms("0244555674", "Three parts");
    assertThat(
            a.markSubmittedBatch(
                List.of(
                    new SubmittedSms(id, SmscMessageId.all(SMSC, List.of(p + "-1", p + "-2")), 3))))
        .containsExactly(id);
    // The same report twice and both parts in one statement: the worst state wins.
    assertThat(
            a.recordDeliveryReports(
                List.of(
                    new DeliveryUpdate(SMSC, p + "-1", DeliveryState.DELIVERED, null),
                    new DeliveryUpdate(SMSC, p + "-2", DeliveryState.UNDELIVERABLE, "0x0b"),
                    new DeliveryUpdate(SMSC, p + "-2", DeliveryState.UNDELIVERABLE, "0x0b"))))
        .containsExactlyInAnyOrder(keys(p + "-1", p + "-2"));
    SmsOutboxRow entry = a.smsOutboxRow(id).orElseThrow();
    assertThat(entry.status()).isEqualTo("UNDELIVERABLE");
    assertThat(entry.errorCode()).contains("0x0b");
    assertThat(entry.submitAttempts()).isEqualTo(3);
    assertThat(entry.claims()).isEqualTo(1);
    assertThat(entry.lastAttemptAt()).isPresent();
    assertThat(entry.messageIds()).containsExactly(p + "-1", p + "-2");
    // A milder report later does not hide it.
    assertThat(
            a.recordDeliveryReports(
                List.of(new DeliveryUpdate(SMSC, p + "-1", DeliveryState.DELIVERED, null))))
        .containsExactly(keys(p + "-1"));
    assertThat(smsStatus(id)).isEqualTo("UNDELIVERABLE");
  }

  @Test
  void retriesAndFailuresAddTheirSubmitAttemptsAndLastError() {
    long id = claimedSms("0244555675", "Count me");
    a.markSmsRetry(id, Instant.now().minusSeconds(1), "ESME_RSYSERR", 2);
    assertThat(a.claimOutbox(1000, Instant.now().plusSeconds(1)))
        .extracting(OutboxMessage::id)
        .contains(id);
    a.markSmsFailed(id, "ESME_RINVDSTADR", 1);
    SmsOutboxRow entry = a.smsOutboxRow(id).orElseThrow();
    assertThat(entry.status()).isEqualTo("FAILED");
    assertThat(entry.claims()).isEqualTo(2);
    assertThat(entry.submitAttempts()).isEqualTo(3);
    assertThat(entry.lastError()).contains("ESME_RINVDSTADR");
    assertThat(a.smsOutboxRows("FAILED", 10)).extracting(SmsOutboxRow::id).contains(id);
  }

  @Test
  void anUnknownOutcomeIsNeitherClaimedAgainNorSentUntilItsQuietPeriodEnds() {
    long id = claimedSms("0244555676", "Receipt AMA-1 GHS 5.00");
    a.markSmsOutcomeUnknown(id, List.of(), 1, "no submit_sm_resp in time");
    SmsOutboxRow entry = a.smsOutboxRow(id).orElseThrow();
    assertThat(entry.status()).isEqualTo("UNKNOWN");
    assertThat(entry.unknownSince()).isPresent();
    assertThat(entry.lastError().orElseThrow()).startsWith("OUTCOME_UNKNOWN");
    Instant later = Instant.now().plusSeconds(3600);
    assertThat(a.claimOutbox(1000, later)).extracting(OutboxMessage::id).doesNotContain(id);
    // Not before the quiet period; then once, recorded; never twice with one re-send allowed.
    assertThat(a.resendUnknownSms(7200, 1, 1000, later)).doesNotContain(id);
    assertThat(a.resendUnknownSms(600, 1, 1000, later)).contains(id);
    entry = a.smsOutboxRow(id).orElseThrow();
    assertThat(entry.status()).isEqualTo("QUEUED");
    assertThat(entry.resends()).isEqualTo(1);
    assertThat(entry.lastError().orElseThrow()).startsWith("RESENT after 600 s");
    assertThat(
            a.dsl()
                .fetchCount(
                    org.assemblypay.ledger.jooq.Tables.AUDIT_LOG,
                    org.assemblypay.ledger.jooq.Tables.AUDIT_LOG.ENTITY.eq("sms_outbox:" + id)))
        .isEqualTo(1);
    List<OutboxMessage> again = a.claimOutbox(1000, later);
    assertThat(again)
        .filteredOn(m -> m.id() == id)
        .singleElement()
        .extracting(OutboxMessage::text)
        .isEqualTo("Receipt AMA-1 GHS 5.00");
    a.markSmsOutcomeUnknown(id, List.of(), 1, "no submit_sm_resp in time");
    assertThat(a.resendUnknownSms(1, 1, 1000, later.plusSeconds(3600))).doesNotContain(id);
    assertThat(smsStatus(id)).isEqualTo("UNKNOWN");
  }

  @Test
  void aLateReportSettlesAnUnknownOutcomeByIdOrByHandsetAndText() {
    String p = "late-" + UUID.randomUUID();
    // Parts that got an id before the connection dropped: their reports match by id.
    long partial = claimedSms("0244555677", "Two parts, one id");
    a.markSmsOutcomeUnknown(
        partial, SmscMessageId.all(SMSC, List.of(p + "-1")), 2, "connection lost after the write");
    assertThat(
            a.recordDeliveryReports(
                List.of(new DeliveryUpdate(SMSC, p + "-1", DeliveryState.DELIVERED, null))))
        .containsExactly(keys(p + "-1"));
    assertThat(smsStatus(partial)).isEqualTo("DELIVERED");
    // No id at all: the report names the handset and the text's start.
    long other = claimedSms("0244555678", "Another SMS to this phone");
    a.markSmsOutcomeUnknown(other, List.of(), 1, "no submit_sm_resp in time");
    long id = claimedSms("0244555678", "Receipt AMA-2 GHS 7.00");
    a.markSmsOutcomeUnknown(id, List.of(), 1, "no submit_sm_resp in time");
    var report =
        new DeliveryUpdate(
            SMSC, p + "-x", DeliveryState.DELIVERED, null, "233244555678", "Receipt AMA-2 GHS 7.0");
    assertThat(a.recordDeliveryReports(List.of(report))).containsExactly(keys(p + "-x"));
    assertThat(smsStatus(id)).isEqualTo("DELIVERED");
    assertThat(smsStatus(other)).isEqualTo("UNKNOWN");
    // Its id is now known: a repeat matches directly and changes nothing.
    assertThat(a.recordDeliveryReport(SMSC, p + "-x", DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.smsOutboxRow(id).orElseThrow().messageIds()).contains(p + "-x");
    // A report for a handset with no unknown row stays unmatched (the connector keeps it).
    assertThat(
            a.recordDeliveryReports(
                List.of(
                    new DeliveryUpdate(
                        SMSC, p + "-y", DeliveryState.DELIVERED, null, "233244555679", "Receipt"))))
        .isEmpty();
  }

  @Test
  void anInboundMessageNotMarkedHandledIsOfferedAgainAfterItsLease() {
    String key = "rec-" + UUID.randomUUID();
    Instant received = Instant.now();
    assertThat(a.storeInbound(new InboundSms(key, "0244555680", "1444", "TOTAL", received), 60))
        .isTrue();
    assertThat(a.claimUnhandledInbound(1000, 60, 5, Instant.now()))
        .extracting(UnhandledInbound::inboundKey)
        .doesNotContain(key);
    assertThat(a.renewInboundLease(key, 1, 60)).isTrue();
    List<UnhandledInbound> again =
        a.claimUnhandledInbound(1000, 60, 5, Instant.now().plusSeconds(61));
    assertThat(again)
        .filteredOn(m -> m.inboundKey().equals(key))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.text()).isEqualTo("TOTAL");
              assertThat(m.handlingAttempts()).isEqualTo(2);
            });
    // The first handler, late from its queue, finds it taken; leased again: not handed out twice.
    assertThat(a.renewInboundLease(key, 1, 60)).isFalse();
    assertThat(a.claimUnhandledInbound(1000, 60, 5, Instant.now().plusSeconds(62)))
        .extracting(UnhandledInbound::inboundKey)
        .doesNotContain(key);
    a.markInboundHandled(key);
    assertThat(a.claimUnhandledInbound(1000, 60, 5, Instant.now().plusSeconds(3600)))
        .extracting(UnhandledInbound::inboundKey)
        .doesNotContain(key);
    assertThat(a.inboundLeftTrace(key)).isFalse();
    a.enqueueSms(new OutboundSmsDraft("0244555680", "Your total", Language.EN, key));
    assertThat(a.inboundLeftTrace(key)).isTrue();
  }

  /** The pairs a batch of reports from {@link #SMSC} matched. */
  private static SmscMessageId[] keys(String... messageIds) {
    return SmscMessageId.all(SMSC, List.of(messageIds)).toArray(new SmscMessageId[0]);
  }
}
