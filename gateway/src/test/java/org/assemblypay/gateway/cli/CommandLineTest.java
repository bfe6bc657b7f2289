package org.assemblypay.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assemblypay.gateway.Main;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.ledger.NewAssembly;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as an operator meets it: help everywhere, clear config errors, migrate. */
class CommandLineTest {

  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"demo", "run", "migrate", "config", "menus"}) {
      Run r = run(command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: gateway " + command);
    }
    assertThat(run("--help").out()).contains("demo", "run", "migrate");
  }

  @Test
  void aBadConfigFailsWithOneClearLinePerProblem(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, "databse:\n  url: x\nhttp:\n  prot: 1\n");
    Run r = run("migrate", "--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines().toList())
        .contains(
            "config: unknown key 'databse' (known here: accrual, admin, aggregators, database, http, payments, sessions, smsc, ussd)",
            "config: unknown key 'http.prot' (known here: host, maxBodyBytes, port, workerPoolSize)");
    assertThat(r.err()).doesNotContain("Exception", "\tat ");

    Run missing = run("run", "--config", dir.resolve("absent.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("config: config file not found");
  }

  @Test
  void migrateBringsEveryAssemblySchemaUpToDate(@TempDir Path dir) throws Exception {
    TestDatabase db = TestDatabase.get();
    String code = TestDatabase.uniqueAssemblyCode("MG");
    try (Ledger ledger = Ledger.open(LedgerSettings.of(db.jdbcUrl(), db.user(), db.password()))) {
      ledger
          .assemblies()
          .register(
              NewAssembly.inMainDatabase(code, "Migrate Municipal", TestDatabase.uniqueUssdCode()));
    }
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, "database:\n  url: \"" + db.jdbcUrl() + "\"\n");
    Run r = run("migrate", "--config", config.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("Migrated the control schema and \\d+ assembly schema\\(s\\)\\.");
  }

  @Test
  void configShowsTheEffectiveValuesWithSecretsMasked(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, "database:\n  url: jdbc:postgresql://db/gw\n  password: hunter2\n");
    Run r = run("config", "--config", config.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("jdbc:postgresql://db/gw").doesNotContain("hunter2");
  }

  @Test
  void menusLintPassesAndGraphDrawsMermaid() {
    Run lint = run("menus", "lint");
    assertThat(lint.exitCode()).as(lint.out()).isZero();
    assertThat(lint.out()).contains("no problems");
    assertThat(run("menus", "graph").out()).startsWith("flowchart TD");
  }
}
