package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.assemblypay.ledger.ParkedDeliveryReports.Backoff;
import org.assemblypay.ledger.ParkedDeliveryReports.Parked;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control schema's parked delivery reports (V3, D210): park, claim with back-off, delete. */
class ParkedDeliveryReportsTest {

  /** The SMSC identity the tests submit under and report from, unless they name another. */
  private static final String SMSC = "smsc-a";

  static Fixture fx;
  static ParkedDeliveryReports parked;

  private static final Backoff BACKOFF =
      new Backoff(
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10));

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
    parked = fx.ledger.parkedDeliveryReports();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
  }

  private static String uniqueId() {
    return "t-" + UUID.randomUUID();
  }

  private static long park(String id, Instant received, Instant firstTry) {
    return parked.park(
        new DeliveryUpdate(
            SMSC, id, DeliveryState.UNDELIVERABLE, "034", "233244000111", "Paid GHS"),
        "UNDELIV",
        "mtn",
        received,
        firstTry);
  }

  private static List<Parked> claimed(Instant at, String id) {
    return parked.claimDue(1000, at, BACKOFF).stream()
        .filter(p -> p.update().messageId().equals(id))
        .toList();
  }

  @Test
  void aReportIsParkedOnceWithEveryFieldAndFoundByItsMessageId() {
    String id = uniqueId();
    Instant received = Instant.parse("2026-11-21T10:00:00Z");
    long row = park(id, received, received.plusSeconds(1));
    assertThat(row).isPositive();
    // The SMSC delivers the same report again: nothing new is parked.
    assertThat(park(id, received, received.plusSeconds(1))).isEqualTo(-1);
    List<Parked> found =
        parked.withMessageIds(
            List.of(new SmscMessageId(SMSC, id), new SmscMessageId(SMSC, uniqueId())));
    assertThat(found).hasSize(1);
    Parked p = found.get(0);
    assertThat(p.id()).isEqualTo(row);
    assertThat(p.update())
        .isEqualTo(
            new DeliveryUpdate(
                SMSC, id, DeliveryState.UNDELIVERABLE, "034", "233244000111", "Paid GHS"));
    assertThat(p.rawState()).isEqualTo("UNDELIV");
    assertThat(p.connectionName()).isEqualTo("mtn");
    assertThat(p.receivedAt()).isEqualTo(received);
    assertThat(p.attempts()).isZero();
    // Deleted once: a second delete (another node, a replay racing a sweep) deletes nothing.
    assertThat(parked.delete(List.of(row))).containsExactly(row);
    assertThat(parked.delete(List.of(row))).isEmpty();
    assertThat(parked.withMessageIds(List.of(new SmscMessageId(SMSC, id)))).isEmpty();
  }

  @Test
  void aClaimTakesOnlyDueRowsAndBacksOffBySecondsWhileYoungAndMinutesWhenOld() {
    Instant now = Instant.now();
    String young = uniqueId();
    String old = uniqueId();
    String later = uniqueId();
    park(young, now.minusSeconds(20), now.minusSeconds(1));
    park(old, now.minus(Duration.ofHours(3)), now.minusSeconds(1));
    park(later, now, now.plusSeconds(60));
    List<Parked> first =
        parked.claimDue(1000, now, BACKOFF).stream()
            .filter(p -> List.of(young, old, later).contains(p.update().messageId()))
            .toList();
    assertThat(first).extracting(p -> p.update().messageId()).containsExactlyInAnyOrder(young, old);
    assertThat(first).extracting(Parked::attempts).containsOnly(1);
    // Claimed: not due again at once.
    assertThat(claimed(now, young)).isEmpty();
    // Young (20 s): a tenth of its age, at least 1 s: due again 2 s later.
    assertThat(claimed(now.plusMillis(1_900), young)).isEmpty();
    assertThat(claimed(now.plusMillis(2_100), young)).hasSize(1);
    // Old (3 h): at most ten minutes.
    assertThat(claimed(now.plusSeconds(5), old)).isEmpty();
    assertThat(claimed(now.plus(Duration.ofMinutes(10)).plusSeconds(1), old))
        .singleElement()
        .extracting(Parked::attempts)
        .isEqualTo(2);
    for (String id : List.of(young, old, later)) {
      parked.delete(
          parked.withMessageIds(List.of(new SmscMessageId(SMSC, id))).stream()
              .map(Parked::id)
              .toList());
    }
  }

  @Test
  void aRowLockedByAnotherNodesClaimIsSkipped() throws Exception {
    Instant now = Instant.now();
    String id = uniqueId();
    long row = park(id, now.minusSeconds(5), now.minusSeconds(1));
    try (Connection c = fx.db.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "select id from control.parked_delivery_reports where id = ? for update")) {
        s.setLong(1, row);
        s.executeQuery().close();
      }
      assertThat(claimed(now, id)).isEmpty();
      c.rollback();
    }
    assertThat(claimed(now, id)).hasSize(1);
    parked.delete(List.of(row));
  }

  @Test
  void theClaimsBackOffIsATenthOfTheAgeCappedAtSecondsWhileYoung() {
    Instant now = Instant.now();
    String nearlyOld = uniqueId(); // 110 s: a tenth is 11 s, capped at 5 s while under 2 minutes
    String justOld = uniqueId(); // 3 min: a tenth, 18 s (the 10-minute cap does not bind)
    park(nearlyOld, now.minusSeconds(110), now.minusSeconds(1));
    park(justOld, now.minus(Duration.ofMinutes(3)), now.minusSeconds(1));
    // One claim takes both (a claim takes every due row).
    assertThat(
            parked.claimDue(1000, now, BACKOFF).stream()
                .filter(p -> List.of(nearlyOld, justOld).contains(p.update().messageId())))
        .hasSize(2);
    assertThat(claimed(now.plusMillis(4_900), nearlyOld)).isEmpty();
    assertThat(claimed(now.plusMillis(5_100), nearlyOld)).hasSize(1);
    assertThat(claimed(now.plusMillis(17_900), justOld)).isEmpty();
    assertThat(claimed(now.plusMillis(18_100), justOld)).hasSize(1);
    for (String id : List.of(nearlyOld, justOld)) {
      parked.delete(
          parked.withMessageIds(List.of(new SmscMessageId(SMSC, id))).stream()
              .map(Parked::id)
              .toList());
    }
  }
}
