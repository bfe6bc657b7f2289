package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.MarketKind;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.NewMarket;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.testing.TestDatabase;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;

/**
 * Real PostgreSQL (fresh, uniquely named assemblies on the shared test database), a real SMSC
 * simulator over TCP, and the gateway's SMS wiring between them, serving only this bed's
 * assemblies.
 */
final class SmsTestBed implements AutoCloseable {

  static final String SYSTEM_ID = "gateway";
  static final String PASSWORD = "s3cret";
  static final String SHORT_CODE = "1411";

  final TestDatabase db = TestDatabase.get();
  final Ledger ledger;
  final SmscSimulator smsc;
  final RecordingHandler handler = new RecordingHandler();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<String> assemblies = new ArrayList<>();
  SmsWiring sms;

  SmsTestBed(int assemblyCount) throws IOException {
    this(assemblyCount, SimulatorConfig.defaults(SYSTEM_ID, PASSWORD));
  }

  SmsTestBed(int assemblyCount, SimulatorConfig simulator) throws IOException {
    this(assemblyCount, simulator, null);
  }

  /** With {@code jdbcUrl} the ledger connects there (e.g. through a proxy) instead. */
  SmsTestBed(int assemblyCount, SimulatorConfig simulator, String jdbcUrl) throws IOException {
    ledger =
        Ledger.open(
            LedgerSettings.of(jdbcUrl == null ? db.jdbcUrl() : jdbcUrl, db.user(), db.password())
                .withMaxPoolSizePerDatabase(12));
    for (int i = 0; i < assemblyCount; i++) {
      String code = TestDatabase.uniqueAssemblyCode("S");
      assemblies.add(code);
      ledger
          .assemblies()
          .register(NewAssembly.inMainDatabase(code, "SMS " + code, TestDatabase.uniqueUssdCode()));
      ledger
          .assembly(code)
          .registerMarket(
              new NewMarket("MKT", "Makola", MarketKind.MARKET, EnumSet.allOf(DayOfWeek.class)));
    }
    smsc = SmscSimulator.start(simulator);
  }

  String assembly(int i) {
    return assemblies.get(i);
  }

  AssemblyLedger ledgerOf(int i) {
    return ledger.assembly(assemblies.get(i));
  }

  /** Settings for tests: short timings, this bed's assemblies only. */
  SmsConfig config() {
    var connection = connection("sim");
    return SmsConfig.defaults()
        .withConnections(List.of(connection))
        .withServedAssemblies(assemblies)
        .withDispatcher(new SmsConfig.Dispatcher(0, 0, 200, 0, 50, 100, 300, null, 20, 200, 0));
  }

  /** A connection to this bed's simulator with short timings, under the given name. */
  SmsConfig.Connection connection(String name) {
    return connection(name, null);
  }

  /**
   * A connection to this bed's simulator under the given name and SMSC identity (null: the default,
   * {@link #smscIdentity()}).
   */
  SmsConfig.Connection connection(String name, String smscIdentity) {
    return new SmsConfig.Connection(
        name,
        "127.0.0.1",
        smsc.port(),
        SYSTEM_ID,
        PASSWORD,
        null,
        null,
        10,
        -1,
        0,
        2_000,
        2_000,
        50,
        500,
        "AMA",
        null,
        null,
        null,
        smscIdentity);
  }

  /** The SMSC identity of a connection to this bed's simulator that names none. */
  String smscIdentity() {
    return connection("any").smscIdentity();
  }

  GatewayConfig.Database database() {
    return new GatewayConfig.Database(db.jdbcUrl(), db.user(), db.password(), 0, 0);
  }

  SmsWiring start(SmsConfig config) throws InterruptedException {
    return start(config, handler);
  }

  /** Starts with another command handler (e.g. the real SMS commands). */
  SmsWiring start(SmsConfig config, InboundCommandHandler commands) throws InterruptedException {
    sms = SmsWiring.start(config, database(), ledger, commands, registry, Clock.systemUTC());
    if (!sms.connector().awaitBound(Duration.ofSeconds(10))) {
      throw new AssertionError("connector did not bind: " + sms.bindStates());
    }
    return sms;
  }

  long enqueue(int assembly, String msisdn, String text) {
    return ledgerOf(assembly).enqueueSms(new OutboundSmsDraft(msisdn, text, Language.EN, null));
  }

  /** The outbox row's status, read straight from the assembly's schema. */
  String status(int assembly, long rowId) throws SQLException {
    return column(assembly, rowId, "status");
  }

  String lastError(int assembly, long rowId) throws SQLException {
    return column(assembly, rowId, "last_error");
  }

  String messageIds(int assembly, long rowId) throws SQLException {
    return column(assembly, rowId, "array_to_string(message_ids, ',')");
  }

  private String column(int assembly, long rowId, String expression) throws SQLException {
    String schema = ledger.assembly(assemblies.get(assembly)).assembly().schemaName();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select " + expression + " from " + schema + ".sms_outbox where id = ?")) {
      s.setLong(1, rowId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** Counts rows of an assembly's table that meet a condition (test-written SQL only). */
  int count(int assembly, String table, String condition) throws SQLException {
    String schema = ledger.assembly(assemblies.get(assembly)).assembly().schemaName();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from " + schema + "." + table + " where " + condition);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  /** Rows of an assembly's inbound table. */
  int inboundRows(int assembly) throws SQLException {
    String schema = ledger.assembly(assemblies.get(assembly)).assembly().schemaName();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from " + schema + ".sms_inbound");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  /** Counts outbox rows of an assembly in a status. */
  int rowsIn(int assembly, String status) throws SQLException {
    String schema = ledger.assembly(assemblies.get(assembly)).assembly().schemaName();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from " + schema + ".sms_outbox where status = ?")) {
      s.setString(1, status);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** Every assembly's outbox rows counted by status, for failure messages. */
  String statuses() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < assemblies.size(); i++) {
      String schema = ledger.assembly(assemblies.get(i)).assembly().schemaName();
      try (Connection c = db.connect();
          PreparedStatement s =
              c.prepareStatement(
                  "select status, count(*) from " + schema + ".sms_outbox group by status");
          ResultSet r = s.executeQuery()) {
        sb.append(assemblies.get(i)).append('{');
        while (r.next()) {
          sb.append(r.getString(1)).append('=').append(r.getInt(2)).append(' ');
        }
        sb.append("} ");
      } catch (SQLException e) {
        sb.append(e.getMessage());
      }
    }
    return sb.toString();
  }

  /** A random, valid Ghanaian number, unlikely to be registered anywhere else. */
  static String phone() {
    return "23324" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    await(what, timeout, condition, () -> "");
  }

  static void await(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what + " " + state.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Wraps SQL reads for use in {@link #await}. */
  static boolean sql(SqlCheck check) {
    try {
      return check.holds();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** A condition that reads the database. */
  @FunctionalInterface
  interface SqlCheck {
    boolean holds() throws SQLException;
  }

  @Override
  public void close() throws IOException, SQLException {
    try {
      if (sms != null) {
        sms.close();
      }
      smsc.close();
    } finally {
      ledger.close();
      for (String code : assemblies) {
        db.dropAssembly(code);
      }
    }
  }
}
