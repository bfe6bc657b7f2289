package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.Tables.SMS_MESSAGE_IDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assemblypay.ledger.ParkedDeliveryReports.Parked;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Delivery reports match on (SMSC identity, message id), never on the id alone (D230): two SMSCs
 * hand out the same ids. Includes the backfill of assembly migration V16 and control migration V4.
 */
class SmscMessageIdsTest extends OneAssemblyTest {

  private static final String MTN = "mtn-gh";
  private static final String TELECEL = "telecel-gh";

  private static String uniqueId() {
    return String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits()));
  }

  /** The SMSCs under which the row's part ids are recorded. */
  private List<String> smscsOf(long row) {
    return a.dsl()
        .select(SMS_MESSAGE_IDS.SMSC)
        .from(SMS_MESSAGE_IDS)
        .where(SMS_MESSAGE_IDS.OUTBOX_ID.eq(row))
        .fetch(SMS_MESSAGE_IDS.SMSC);
  }

  @Test
  void aReportFromOneSmscSettlesOnlyTheMessageSentThroughIt() {
    String id = uniqueId();
    long viaMtn = claimedSms("0244555801", "Receipt via MTN");
    long viaTelecel = claimedSms("0204555802", "Receipt via Telecel");
    assertThat(
            a.markSubmittedBatch(
                List.of(
                    new SubmittedSms(viaMtn, List.of(new SmscMessageId(MTN, id)), 1),
                    new SubmittedSms(viaTelecel, List.of(new SmscMessageId(TELECEL, id)), 1))))
        .containsExactlyInAnyOrder(viaMtn, viaTelecel);

    assertThat(
            a.recordDeliveryReports(
                List.of(new DeliveryUpdate(MTN, id, DeliveryState.UNDELIVERABLE, "034"))))
        .containsExactly(new SmscMessageId(MTN, id));
    assertThat(smsStatus(viaMtn)).isEqualTo("UNDELIVERABLE");
    assertThat(smsStatus(viaTelecel)).isEqualTo("SUBMITTED");

    // A third SMSC that never took this id matches nothing, in a batch or alone.
    assertThat(
            a.recordDeliveryReports(
                List.of(new DeliveryUpdate("airteltigo", id, DeliveryState.REJECTED, null))))
        .isEmpty();
    assertThat(a.recordDeliveryReport("airteltigo", id, DeliveryState.REJECTED, null)).isFalse();
    assertThat(smsStatus(viaTelecel)).isEqualTo("SUBMITTED");

    assertThat(a.recordDeliveryReport(TELECEL, id, DeliveryState.DELIVERED, null)).isTrue();
    assertThat(smsStatus(viaTelecel)).isEqualTo("DELIVERED");
    assertThat(smsStatus(viaMtn)).isEqualTo("UNDELIVERABLE");
  }

  @Test
  void bothSmscsReportingTheSameIdInOneBatchEachSettleTheirOwn() {
    String id = uniqueId();
    long viaMtn = claimedSms("0244555803", "One");
    long viaTelecel = claimedSms("0204555804", "Two");
    a.markSubmitted(viaMtn, List.of(new SmscMessageId(MTN, id)));
    a.markSubmitted(viaTelecel, List.of(new SmscMessageId(TELECEL, id)));
    assertThat(
            a.recordDeliveryReports(
                List.of(
                    new DeliveryUpdate(MTN, id, DeliveryState.DELIVERED, null),
                    new DeliveryUpdate(TELECEL, id, DeliveryState.EXPIRED, null))))
        .containsExactlyInAnyOrder(new SmscMessageId(MTN, id), new SmscMessageId(TELECEL, id));
    assertThat(smsStatus(viaMtn)).isEqualTo("DELIVERED");
    assertThat(smsStatus(viaTelecel)).isEqualTo("EXPIRED");
  }

  @Test
  void partsTakenByTwoSmscsAfterAFailOverAreEachMatchedUnderTheirOwn() {
    String id = uniqueId();
    long row = claimedSms("0244555805", "Two parts, two SMSCs");
    a.markSubmittedBatch(
        List.of(
            new SubmittedSms(
                row, List.of(new SmscMessageId(MTN, id), new SmscMessageId(TELECEL, id)), 2)));
    assertThat(smscsOf(row)).containsExactlyInAnyOrder(MTN, TELECEL);
    assertThat(a.recordDeliveryReport(TELECEL, id, DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.recordDeliveryReport(MTN, id, DeliveryState.UNDELIVERABLE, null)).isTrue();
    assertThat(smsStatus(row)).isEqualTo("UNDELIVERABLE");
  }

  @Test
  void anUnknownOutcomeSettledByHandsetRecordsTheIdUnderTheReportsSmsc() {
    String id = uniqueId();
    long row = claimedSms("0244555806", "Receipt AMA-9 GHS 3.00");
    a.markSmsOutcomeUnknown(row, List.of(), 1, "no submit_sm_resp in time");
    var report =
        new DeliveryUpdate(
            TELECEL, id, DeliveryState.DELIVERED, null, "233244555806", "Receipt AMA-9");
    assertThat(a.recordDeliveryReports(List.of(report)))
        .containsExactly(new SmscMessageId(TELECEL, id));
    assertThat(smsStatus(row)).isEqualTo("DELIVERED");
    assertThat(smscsOf(row)).containsExactly(TELECEL);
    // Its repeat from the same SMSC matches directly; the same id from another SMSC does not.
    assertThat(a.recordDeliveryReport(TELECEL, id, DeliveryState.DELIVERED, null)).isTrue();
    assertThat(a.recordDeliveryReport(MTN, id, DeliveryState.DELIVERED, null)).isFalse();
  }

  @Test
  void anIdRecordedWithoutAnSmscMatchesAReportFromAnySmsc() {
    // What V16 leaves for rows submitted before it, and what a writer naming no SMSC gets.
    String id = uniqueId();
    long row = claimedSms("0244555807", "Sent before the upgrade");
    a.markSubmitted(row, List.of(new SmscMessageId(MTN, "other-" + id)));
    a.dsl()
        .insertInto(SMS_MESSAGE_IDS, SMS_MESSAGE_IDS.MESSAGE_ID, SMS_MESSAGE_IDS.OUTBOX_ID)
        .values(id, row)
        .execute();
    assertThat(
            a.recordDeliveryReports(
                List.of(new DeliveryUpdate(TELECEL, id, DeliveryState.DELIVERED, null))))
        .containsExactly(new SmscMessageId(TELECEL, id));
    assertThat(smsStatus(row)).isEqualTo("DELIVERED");
  }

  @Test
  void theReportLookupProbesTheKeyOnBothSmscAndMessageId() {
    // The plan the report batch's join gets when PostgreSQL probes per report (as it does on a
    // table of millions): both columns must be conditions of the index, not a filter after it.
    String table = a.dsl().render(SMS_MESSAGE_IDS);
    String plan =
        a.dsl()
            .transactionResult(
                cfg -> {
                  cfg.dsl().execute("set local enable_seqscan = off");
                  cfg.dsl().execute("set local enable_hashjoin = off");
                  cfg.dsl().execute("set local enable_mergejoin = off");
                  cfg.dsl().execute("set local enable_bitmapscan = off");
                  return cfg.dsl()
                      .fetch(
                          "explain select i.outbox_id from unnest(?::varchar[], ?::varchar[])"
                              + " as r(smsc, message_id) join "
                              + table
                              + " i on i.smsc = any(array[r.smsc, '']::varchar[])"
                              + " and i.message_id = r.message_id",
                          new String[] {MTN},
                          new String[] {"42"})
                      .format(org.jooq.TXTFormat.DEFAULT.maxColWidth(500));
                });
    assertThat(plan).contains("sms_message_ids_pk").contains("Index Cond: ((smsc = ANY");
    assertThat(plan).contains("AND (message_id = (r.message_id)::text)");
    assertThat(plan).doesNotContain("Filter");
  }

  // --- Migrations: what they do to rows written before them.

  private static PGSimpleDataSource dataSource() {
    var ds = new PGSimpleDataSource();
    ds.setURL(fx.db.jdbcUrl());
    if (fx.db.user() != null) {
      ds.setUser(fx.db.user());
    }
    if (fx.db.password() != null) {
      ds.setPassword(fx.db.password());
    }
    return ds;
  }

  private static Flyway flyway(String schema, String location, String target) {
    var config =
        Flyway.configure()
            .dataSource(dataSource())
            .schemas(schema)
            .createSchemas(true)
            .locations(location);
    return (target == null ? config : config.target(target)).load();
  }

  private static void dropSchema(String schema) throws Exception {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + schema + " cascade");
    }
  }

  @Test
  void v16GivesIdsSubmittedBeforeItTheEmptySmscAndKeysTheTableOnThePair() throws Exception {
    String schema = "m16_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      flyway(schema, "classpath:db/assembly", "15").migrate();
      try (Connection c = dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("set search_path = " + schema);
        s.execute(
            "insert into sms_outbox (recipient_msisdn, text, language, status, message_ids)"
                + " values ('233244555808', 'before', 'en', 'SUBMITTED', array['111','112'])");
        s.execute(
            "insert into sms_message_ids (message_id, outbox_id)"
                + " select m, id from sms_outbox, unnest(message_ids) m");
      }
      flyway(schema, "classpath:db/assembly", null).migrate();
      try (Connection c = dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("set search_path = " + schema);
        try (ResultSet r =
            s.executeQuery("select smsc, message_id from sms_message_ids order by message_id")) {
          List<String> rows = new ArrayList<>();
          while (r.next()) {
            rows.add("[" + r.getString(1) + "]" + r.getString(2));
          }
          assertThat(rows).containsExactly("[]111", "[]112");
        }
        try (ResultSet r =
            s.executeQuery(
                "select pg_get_constraintdef(oid) from pg_constraint"
                    + " where conname = 'sms_message_ids_pk' and connamespace = '"
                    + schema
                    + "'::regnamespace")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1)).isEqualTo("PRIMARY KEY (smsc, message_id, outbox_id)");
        }
      }
    } finally {
      dropSchema(schema);
    }
  }

  @Test
  void controlV4LeavesOldParkedReportsWithoutSmscUntilTheirConnectionNamesIt() throws Exception {
    String schema = "c4_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      flyway(schema, "classpath:db/control", "3").migrate();
      Instant received = Instant.parse("2026-11-21T10:00:00Z");
      try (Connection c = dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "insert into "
                      + schema
                      + ".parked_delivery_reports (message_id, state, raw_state, connection_name,"
                      + " received_at, next_try_at) values (?, 'DELIVERED', 'DELIVRD', ?, ?, ?)")) {
        // The same report on the transmitter and the receiver of one account (both parked
        // before V4), one from a connection since removed, and one for an id parked again below.
        for (String[] r :
            List.of(
                new String[] {"201", "mtn-tx"},
                new String[] {"201", "mtn-rx"},
                new String[] {"202", "gone"},
                new String[] {"203", "mtn-tx"})) {
          s.setString(1, r[0]);
          s.setString(2, r[1]);
          s.setObject(3, Payments.utc(received));
          s.setObject(4, Payments.utc(received));
          s.executeUpdate();
        }
      }
      flyway(schema, "classpath:db/control", null).migrate();
      var table = new ParkedDeliveryReports(Ledger.mapped(dataSource(), schema));
      assertThat(
              table.park(
                  new DeliveryUpdate(MTN, "203", DeliveryState.DELIVERED, null),
                  "DELIVRD",
                  "mtn-rx",
                  received,
                  received))
          .isPositive();
      List<Parked> before = table.claimDue(100, received.plusSeconds(1), backoff());
      assertThat(before).hasSize(5);
      assertThat(before).filteredOn(p -> p.update().smsc().isEmpty()).hasSize(4);

      assertThat(table.assignSmsc("mtn-tx", MTN)).isEqualTo(2); // 201 assigned, 203 a duplicate
      assertThat(table.assignSmsc("mtn-rx", MTN)).isEqualTo(1); // 201 a duplicate now
      assertThat(table.assignSmsc("mtn-rx", MTN)).isZero();
      List<Parked> after = table.claimDue(100, received.plus(Duration.ofDays(1)), backoff());
      assertThat(after)
          .extracting(p -> p.update().smsc() + "/" + p.update().messageId())
          .containsExactlyInAnyOrder(MTN + "/201", "/202", MTN + "/203");
      assertThat(table.withMessageIds(List.of(new SmscMessageId(MTN, "201")))).hasSize(1);
      assertThat(table.withMessageIds(List.of(new SmscMessageId(TELECEL, "201")))).isEmpty();
    } finally {
      dropSchema(schema);
    }
  }

  private static ParkedDeliveryReports.Backoff backoff() {
    return new ParkedDeliveryReports.Backoff(
        Duration.ofSeconds(1),
        Duration.ofMinutes(2),
        Duration.ofSeconds(5),
        Duration.ofMinutes(10));
  }
}
