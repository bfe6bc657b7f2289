package org.assemblypay.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.demo.DemoSeed;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CashPayment;
import org.assemblypay.ledger.CashPosting;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.Notifier;
import org.assemblypay.ledger.PinCheck;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill of docs/DEPLOY.md: an assembly with payments and a reversal is backed up with
 * {@code ops/backup-assembly.sh}, restored with {@code ops/restore-assembly.sh} into a fresh
 * database, opened there by the ledger and checked against the ledger's invariants and the source.
 */
@org.junit.jupiter.api.Tag("local-postgres")
class RestoreDrillTest {
  private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();

  private final TestDatabase db = TestDatabase.get();
  private final String suffix =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
  private final String sourceName = "drill_src_" + suffix;
  private final String targetName = "drill_dst_" + suffix;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @TempDir Path work;

  @BeforeEach
  void databases() throws SQLException {
    db.dropDatabase(sourceName);
    db.dropDatabase(targetName);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    db.dropDatabase(sourceName);
    db.dropDatabase(targetName);
  }

  @Test
  void aBackupRestoresIntoAFreshDatabaseWithTheLedgerIntact() throws Exception {
    Path binDir = clientBinaries();
    String sourceUrl = db.createDatabase(sourceName);
    String targetUrl = db.createDatabase(targetName);

    // The source: the demo assembly (markets, 50 traders, 90 days of charges, cash payments), one
    // more cash payment, its reversal by two officers, and a payment after that.
    Ledger source = open(sourceUrl);
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    DemoSeed.seed(source, today);
    AssemblyLedger ama = source.assembly(DemoSeed.CODE);
    long collector = collectorId(ama);
    Trader trader = ama.traderByCustomerNumber("AMA-T0005").orElseThrow();
    CashPosting reversed =
        ama.postCashPayment(
            new CashPayment("drill-1", collector, trader.id(), 1_000), Notifier.silent());
    ama.reverse(reversed.transferId(), "drill: keyed twice", "officer-a", "officer-b");
    ama.postCashPayment(new CashPayment("drill-2", collector, trader.id(), 750), Notifier.silent());
    Totals before = totals(sourceUrl);
    long arrearsBefore = ama.arrears(trader.id()).totalPesewas();

    Path backup = work.resolve("ama-backup");
    run(
        List.of(
            OPS.resolve("backup-assembly.sh").toString(),
            "--db",
            libpq(sourceUrl),
            "--assembly",
            "ama",
            "--out",
            backup.toString(),
            "--bin-dir",
            binDir.toString()));
    assertThat(backup.resolve("assembly.dump")).isNotEmptyFile();
    assertThat(Files.readString(backup.resolve("MANIFEST"))).contains("assembly=AMA");
    // A custom-format archive starts with PGDMP.
    byte[] head = Arrays.copyOf(Files.readAllBytes(backup.resolve("assembly.dump")), 5);
    assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");

    run(
        List.of(
            OPS.resolve("restore-assembly.sh").toString(),
            "--db",
            libpq(targetUrl),
            "--from",
            backup.toString(),
            "--bin-dir",
            binDir.toString()));

    Totals after = totals(targetUrl);
    assertThat(after.unbalancedTransfers)
        .as("transfers whose postings do not sum to zero")
        .isZero();
    assertThat(after.driftingAccounts).as("accounts whose balance is not their postings").isZero();
    assertThat(after.receiptGaps).as("receipt numbers are gapless per year").isEmpty();
    assertThat(after.receipts).isPositive();
    assertThat(after).as("the same ledger as the source").isEqualTo(before);

    // The ledger opens the restored database and carries on where the source stopped.
    Ledger restored = open(targetUrl);
    AssemblyLedger copy = restored.assembly(DemoSeed.CODE);
    assertThat(copy.assembly().name()).isEqualTo("Accra Metropolitan Assembly");
    assertThat(copy.arrears(trader.id()).totalPesewas()).isEqualTo(arrearsBefore);
    CashPosting next =
        copy.postCashPayment(
            new CashPayment("drill-after-restore", collector, trader.id(), 500), Notifier.silent());
    assertThat(next.receipt().number())
        .endsWith(String.format(Locale.ROOT, "-%06d", before.receipts + 1));
    Totals afterNewPayment = totals(targetUrl);
    assertThat(afterNewPayment.unbalancedTransfers).isZero();
    assertThat(afterNewPayment.driftingAccounts).isZero();
    assertThat(afterNewPayment.receiptGaps).isEmpty();

    // Restoring the same backup again is refused: the target already holds the assembly.
    Result again =
        exec(
            List.of(
                OPS.resolve("restore-assembly.sh").toString(),
                "--db",
                libpq(targetUrl),
                "--from",
                backup.toString(),
                "--bin-dir",
                binDir.toString()));
    assertThat(again.exitCode).isEqualTo(2);
    assertThat(again.output).contains("already has schema asm_ama");
  }

  @Test
  void aDamagedBackupIsRefusedBeforeAnythingIsRestored() throws Exception {
    Path binDir = clientBinaries();
    String sourceUrl = db.createDatabase(sourceName);
    String targetUrl = db.createDatabase(targetName);
    Ledger source = open(sourceUrl);
    DemoSeed.seed(source, LocalDate.now(ZoneId.of("Africa/Accra")));
    Path backup = work.resolve("ama-backup");
    run(
        List.of(
            OPS.resolve("backup-assembly.sh").toString(),
            "--db",
            libpq(sourceUrl),
            "--assembly",
            "AMA",
            "--out",
            backup.toString(),
            "--bin-dir",
            binDir.toString()));
    Files.writeString(backup.resolve("registry.csv"), "tampered\n");

    Result r =
        exec(
            List.of(
                OPS.resolve("restore-assembly.sh").toString(),
                "--db",
                libpq(targetUrl),
                "--from",
                backup.toString(),
                "--bin-dir",
                binDir.toString()));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.output).contains("checksum mismatch");
    try (Connection c = connect(targetUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from pg_namespace where nspname in ('control', 'asm_ama')")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private Ledger open(String url) {
    Ledger ledger =
        Ledger.open(LedgerSettings.of(url, db.user(), db.password()).withMaxPoolSizePerDatabase(2));
    toClose.add(ledger);
    return ledger;
  }

  private static long collectorId(AssemblyLedger ama) {
    if (ama.checkCollectorPin("0244100001", "1234") instanceof PinCheck.Accepted accepted) {
      return accepted.collector().id();
    }
    throw new AssertionError("the demo collector's PIN was not accepted");
  }

  /**
   * What the drill compares: the ledger's invariants and its figures. Receipt gaps are listed as
   * "year:count:max" for each year whose numbers are not exactly 1..n.
   */
  record Totals(
      long unbalancedTransfers,
      long driftingAccounts,
      List<String> receiptGaps,
      long transfers,
      long postings,
      long debitPesewas,
      long receipts,
      long receiptPesewas,
      long charges,
      Map<String, Long> balances) {}

  private Totals totals(String url) throws SQLException {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      s.execute("set search_path to asm_ama");
      long unbalanced =
          one(
              s,
              "select count(*) from (select t.id from transfers t left join postings p"
                  + " on p.transfer_id = t.id group by t.id"
                  + " having coalesce(sum(p.amount_pesewas), 0) <> 0 or count(p.id) < 2) x");
      long drifting =
          one(
              s,
              "select count(*) from accounts a where a.balance_pesewas <> coalesce("
                  + "(select sum(p.amount_pesewas) from postings p where p.account_id = a.id), 0)");
      List<String> gaps = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "select r.year, count(*), max(r.seq), min(r.seq), max(q.last_seq)"
                  + " from receipts r left join receipt_sequences q on q.year = r.year"
                  + " group by r.year order by r.year")) {
        while (rs.next()) {
          long count = rs.getLong(2);
          if (rs.getLong(3) != count || rs.getLong(4) != 1 || rs.getLong(5) != count) {
            gaps.add(rs.getInt(1) + ":" + count + ":" + rs.getLong(3));
          }
        }
      }
      Map<String, Long> balances = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("select code, balance_pesewas from accounts")) {
        while (rs.next()) {
          balances.put(rs.getString(1), rs.getLong(2));
        }
      }
      return new Totals(
          unbalanced,
          drifting,
          gaps,
          one(s, "select count(*) from transfers"),
          one(s, "select count(*) from postings"),
          one(s, "select coalesce(sum(amount_pesewas), 0) from postings where amount_pesewas > 0"),
          one(s, "select count(*) from receipts"),
          one(s, "select coalesce(sum(amount_pesewas), 0) from receipts"),
          one(s, "select count(*) from charges"),
          balances);
    }
  }

  private static long one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection connect(String url) throws SQLException {
    Properties p = new Properties();
    if (db.user() != null) {
      p.setProperty("user", db.user());
    }
    if (db.password() != null) {
      p.setProperty("password", db.password());
    }
    return DriverManager.getConnection(url, p);
  }

  /** A JDBC URL as a libpq URI: the same host, port, database and query (user=...). */
  private static String libpq(String jdbcUrl) {
    assertThat(jdbcUrl).startsWith("jdbc:postgresql://");
    return jdbcUrl.substring("jdbc:".length());
  }

  /**
   * PostgreSQL client binaries at least as new as the test server: {@code GATEWAY_PG_BIN_DIR} when
   * set, otherwise Debian's {@code /usr/lib/postgresql/<major>/bin}. The embedded PostgreSQL
   * (zonky) ships no pg_dump, so without a matching client the drill fails and says what to do.
   */
  private Path clientBinaries() throws Exception {
    int serverMajor;
    try (Connection c = db.connect()) {
      serverMajor = c.getMetaData().getDatabaseMajorVersion();
    }
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("GATEWAY_PG_BIN_DIR");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    } else {
      for (int major = serverMajor; major <= serverMajor + 5; major++) {
        candidates.add(Path.of("/usr/lib/postgresql", Integer.toString(major), "bin"));
      }
    }
    for (Path dir : candidates) {
      if (Files.isExecutable(dir.resolve("pg_dump"))
          && Files.isExecutable(dir.resolve("pg_restore"))
          && Files.isExecutable(dir.resolve("psql"))) {
        return dir;
      }
    }
    throw new AssertionError(
        "The restore drill needs PostgreSQL "
            + serverMajor
            + " (or newer) client binaries (pg_dump, pg_restore, psql) and found none in "
            + candidates
            + ". The embedded PostgreSQL ships no pg_dump: run the tests against the local server"
            + " (GATEWAY_TEST_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/test?user=postgres,"
            + " as .ci/run does) or set GATEWAY_PG_BIN_DIR to a directory with matching binaries.");
  }

  /** A finished script: its exit code and its output and errors together. */
  record Result(int exitCode, String output) {}

  private Result exec(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (db.password() != null) {
      pb.environment().put("PGPASSWORD", db.password());
    }
    if (db.user() != null) {
      pb.environment().put("PGUSER", db.user());
    }
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish; output: " + output);
    }
    return new Result(p.exitValue(), output);
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    Result r = exec(command);
    assertThat(r.exitCode).as(command.get(0) + " failed:\n" + r.output).isZero();
  }
}
