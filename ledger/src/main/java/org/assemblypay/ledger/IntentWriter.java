package org.assemblypay.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assemblypay.ledger.jooq.tables.records.PaymentsRecord;

/**
 * Stores a batch of payment intents inside the settler's transaction with one fixed statement
 * ({@code INSERT … SELECT FROM unnest(arrays)}, written once per assembly), whatever the batch's
 * size: the trader check, the reference order (two nodes inserting the same references wait for
 * each other instead of deadlocking) and {@code ON CONFLICT DO NOTHING} are in it.
 *
 * <p>Why: the jOOQ multi-row insert was rendered afresh for every batch, and with the separate
 * trader lookup it was the largest single cost of a USSD confirmation (D191). Only a batch that
 * hits a reused reference or an unknown trader reads again, to tell a replay from a conflict.
 */
final class IntentWriter {
  private static final String COLUMNS =
      "reference, provider, trader_id, payer_msisdn, amount_pesewas, purpose, payer_language,"
          + " network, correlation_id, created_at, updated_at, next_poll_at";

  private final String insertSql;
  private final String existingSql;
  private final String knownTradersSql;

  IntentWriter(String quotedSchema) {
    String micros = "timestamptz 'epoch' + %s * interval '1 microsecond'";
    this.insertSql =
        "insert into "
            + quotedSchema
            + ".payments ("
            + COLUMNS
            + ") select i.reference, i.provider, i.trader_id, i.payer_msisdn, i.amount_pesewas,"
            + " i.purpose, i.payer_language, i.network, i.correlation_id, "
            + micros.formatted("i.created_us")
            + ", "
            + micros.formatted("i.updated_us")
            + ", "
            + micros.formatted("i.next_poll_us")
            + " from unnest(?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])"
            + " as i(reference, provider, trader_id, payer_msisdn, amount_pesewas, purpose,"
            + " payer_language, network, correlation_id, created_us, updated_us, next_poll_us)"
            + " where exists (select 1 from "
            + quotedSchema
            + ".traders t where t.id = i.trader_id)"
            + " order by i.reference"
            + " on conflict (reference) do nothing returning *";
    this.existingSql =
        "select * from " + quotedSchema + ".payments where reference = any(?::uuid[])";
    this.knownTradersSql =
        "select id from " + quotedSchema + ".traders where id = any(?::bigint[])";
  }

  /** The SQL texts, for tests that check what is written. */
  List<String> statements() {
    return List.of(insertSql, existingSql, knownTradersSql);
  }

  /**
   * Stores the rows; each gets its payment (new, or the same intent stored before) or its error
   * (unknown trader, or a reused reference with other content), in the rows' order.
   */
  List<Settler.Outcome> store(Connection c, List<PaymentsRecord> rows) throws SQLException {
    int n = rows.size();
    UUID[] reference = new UUID[n];
    String[] provider = new String[n];
    Long[] trader = new Long[n];
    String[] payer = new String[n];
    Long[] amount = new Long[n];
    String[] purpose = new String[n];
    String[] language = new String[n];
    String[] network = new String[n];
    String[] correlation = new String[n];
    Long[] created = new Long[n];
    Long[] updated = new Long[n];
    Long[] nextPoll = new Long[n];
    for (int i = 0; i < n; i++) {
      PaymentsRecord r = rows.get(i);
      reference[i] = r.getReference();
      provider[i] = r.getProvider();
      trader[i] = r.getTraderId();
      payer[i] = r.getPayerMsisdn();
      amount[i] = r.getAmountPesewas();
      purpose[i] = r.getPurpose();
      language[i] = r.getPayerLanguage();
      network[i] = r.getNetwork();
      correlation[i] = r.getCorrelationId();
      created[i] = micros(r.getCreatedAt());
      updated[i] = micros(r.getUpdatedAt());
      nextPoll[i] = micros(r.getNextPollAt());
    }
    Map<UUID, Payment> stored = new HashMap<>();
    try (PreparedStatement ps = PlainStatement.prepareKeyed(c, insertSql)) {
      ps.setArray(1, c.createArrayOf("uuid", reference));
      ps.setArray(2, c.createArrayOf("text", provider));
      ps.setArray(3, c.createArrayOf("bigint", trader));
      ps.setArray(4, c.createArrayOf("text", payer));
      ps.setArray(5, c.createArrayOf("bigint", amount));
      ps.setArray(6, c.createArrayOf("text", purpose));
      ps.setArray(7, c.createArrayOf("text", language));
      ps.setArray(8, c.createArrayOf("text", network));
      ps.setArray(9, c.createArrayOf("text", correlation));
      ps.setArray(10, c.createArrayOf("bigint", created));
      ps.setArray(11, c.createArrayOf("bigint", updated));
      ps.setArray(12, c.createArrayOf("bigint", nextPoll));
      try (ResultSet rs = PlainStatement.executeKeyed(ps)) {
        while (rs.next()) {
          Payment p = PaymentStatements.toPayment(rs);
          stored.put(p.reference(), p);
        }
      }
    }
    List<Settler.Outcome> outcomes = new ArrayList<>(n);
    if (stored.size() == n) {
      for (PaymentsRecord r : rows) {
        outcomes.add(new Settler.Outcome(stored.get(r.getReference()), null));
      }
      return outcomes;
    }
    // Some were not inserted: an unknown trader, or a reference stored before.
    List<PaymentsRecord> missing =
        rows.stream().filter(r -> !stored.containsKey(r.getReference())).toList();
    Set<Long> known = knownTraders(c, missing);
    Map<UUID, Payment> existing = existing(c, missing);
    for (PaymentsRecord wanted : rows) {
      Payment inserted = stored.get(wanted.getReference());
      if (inserted != null) {
        outcomes.add(new Settler.Outcome(inserted, null));
        continue;
      }
      if (!known.contains(wanted.getTraderId())) {
        outcomes.add(
            new Settler.Outcome(null, new UnknownEntityException("TRADER", wanted.getTraderId())));
        continue;
      }
      Payment before = existing.get(wanted.getReference());
      if (before != null && sameIntent(before, wanted)) {
        outcomes.add(new Settler.Outcome(before, null));
      } else {
        outcomes.add(
            new Settler.Outcome(
                null, new IdempotencyConflictException("payment " + wanted.getReference())));
      }
    }
    return outcomes;
  }

  /** Whether a stored intent is the one asked for again (a replay, not a conflict). */
  static boolean sameIntent(Payment existing, PaymentsRecord wanted) {
    return existing.provider().equals(wanted.getProvider())
        && existing.traderId() == wanted.getTraderId()
        && existing.amountPesewas() == wanted.getAmountPesewas()
        && existing.payerMsisdn().equals(wanted.getPayerMsisdn())
        && existing.purpose().name().equals(wanted.getPurpose());
  }

  private Set<Long> knownTraders(Connection c, List<PaymentsRecord> rows) throws SQLException {
    Long[] ids = rows.stream().map(PaymentsRecord::getTraderId).distinct().toArray(Long[]::new);
    Set<Long> known = new HashSet<>();
    try (PreparedStatement ps = PlainStatement.prepareKeyed(c, knownTradersSql)) {
      ps.setArray(1, c.createArrayOf("bigint", ids));
      try (ResultSet rs = PlainStatement.executeKeyed(ps)) {
        while (rs.next()) {
          known.add(rs.getLong(1));
        }
      }
    }
    return known;
  }

  private Map<UUID, Payment> existing(Connection c, List<PaymentsRecord> rows) throws SQLException {
    UUID[] refs =
        rows.stream()
            .map(PaymentsRecord::getReference)
            .sorted(Comparator.naturalOrder())
            .toArray(UUID[]::new);
    Map<UUID, Payment> existing = new HashMap<>();
    try (PreparedStatement ps = PlainStatement.prepareKeyed(c, existingSql)) {
      ps.setArray(1, c.createArrayOf("uuid", refs));
      try (ResultSet rs = PlainStatement.executeKeyed(ps)) {
        while (rs.next()) {
          Payment p = PaymentStatements.toPayment(rs);
          existing.put(p.reference(), p);
        }
      }
    }
    return existing;
  }

  private static Long micros(OffsetDateTime at) {
    if (at == null) {
      return null;
    }
    return TimeUnit.SECONDS.toMicros(at.toEpochSecond()) + at.getNano() / 1_000;
  }
}
