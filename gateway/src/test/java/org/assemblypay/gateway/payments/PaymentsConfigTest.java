package org.assemblypay.gateway.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assemblypay.gateway.Main;
import org.assemblypay.gateway.config.ConfigException;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.ledger.LedgerSettings;
import org.assemblypay.payments.Msisdn;
import org.assemblypay.payments.Network;
import org.assemblypay.payments.RetryCause;
import org.assemblypay.payments.RetryRule;
import org.assemblypay.payments.RetryTable;
import org.assemblypay.payments.RoutingTable;
import org.assemblypay.payments.lifecycle.PaymentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The payment lifecycle's timings as an operator sets them: YAML, GATEWAY_* overrides, checks. */
class PaymentsConfigTest {

  private static final String DB = "database:\n  url: jdbc:postgresql://db/gw\n";

  @Test
  void leftOutTimingsTakeTheDocumentedDefaults() {
    PaymentsConfig payments = new ConfigLoader(Map.of()).loadText(DB).payments();

    assertThat(payments.localExpiryMinutes()).isEqualTo(10);
    assertThat(payments.pollIntervalMillis()).isEqualTo(1_000L);
    assertThat(payments.pollJitterPercent()).isEqualTo(20);
    assertThat(payments.firstPollDelaySeconds()).isEqualTo(20);
    assertThat(payments.earlyCallbackWindowSeconds()).isEqualTo(60);
    assertThat(payments.expiredRecheckMinutes()).isEqualTo(30);
    assertThat(payments.expiredRecheckWindowHours()).isEqualTo(48);
    assertThat(payments.expiredRecheckBatchSize()).isEqualTo(20);
    assertThat(payments.expiredRecheckSweepSeconds()).isEqualTo(60);
    // The defaults are the ones the bridge and the ledger use when nothing is configured.
    PaymentSettings settings = PaymentsWiring.settings(payments, RoutingTable.ghana(Map.of()));
    PaymentSettings builtIn = PaymentSettings.defaults(RoutingTable.ghana(Map.of()));
    assertThat(settings).usingRecursiveComparison().isEqualTo(builtIn);
    LedgerSettings base = LedgerSettings.of("jdbc:postgresql://db/gw", "u", "p");
    assertThat(payments.ledgerSettings(base)).isEqualTo(base);
  }

  @Test
  void yamlAndEnvironmentSetEveryTimingAndTheyReachTheBridgeAndTheLedger() {
    var env =
        Map.of(
            "GATEWAY_PAYMENTS_EXPIRED_RECHECK_MINUTES", "15",
            "GATEWAY_PAYMENTS_EXPIRED_RECHECK_WINDOW_HOURS", "72",
            "GATEWAY_PAYMENTS_POLL_JITTER_PERCENT", "35");
    GatewayConfig config =
        new ConfigLoader(env)
            .loadText(
                DB
                    + """
                    payments:
                      localExpiryMinutes: 7
                      pollIntervalMillis: 500
                      pollJitterPercent: 10
                      firstPollDelaySeconds: 5
                      earlyCallbackWindowSeconds: 30
                      expiredRecheckMinutes: 20
                      expiredRecheckBatchSize: 50
                      expiredRecheckSweepSeconds: 120
                    """);
    PaymentsConfig payments = config.payments();

    assertThat(payments.pollJitterPercent()).as("environment wins").isEqualTo(35);
    assertThat(payments.expiredRecheckMinutes()).isEqualTo(15);
    PaymentSettings settings = PaymentsWiring.settings(payments, RoutingTable.ghana(Map.of()));
    assertThat(settings.localExpiryMillis()).isEqualTo(7 * 60_000L);
    assertThat(settings.pollIntervalMillis()).isEqualTo(500);
    assertThat(settings.pollJitterPercent()).isEqualTo(35);
    assertThat(settings.earlyHintWindowMillis()).isEqualTo(30_000);
    assertThat(settings.expiredRecheckBatchSize()).isEqualTo(50);
    assertThat(settings.expiredRecheckSweepMillis()).isEqualTo(120_000);
    LedgerSettings ledger =
        payments.ledgerSettings(
            LedgerSettings.of("jdbc:postgresql://db/gw", "u", "p").withMaxPoolSizePerDatabase(7));
    assertThat(ledger.firstPollDelaySeconds()).isEqualTo(5);
    assertThat(ledger.expiredRecheckSeconds()).isEqualTo(15 * 60);
    assertThat(ledger.expiredRecheckWindowSeconds()).isEqualTo(72 * 3_600);
    assertThat(ledger.maxPoolSizePerDatabase()).as("the database's own settings kept").isEqualTo(7);
  }

  @Test
  void everyBadTimingIsOneClearLine() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("GATEWAY_PAYMENTS_EXPIRED_RECHECK_BATCH_SIZE", "0"))
                    .loadText(
                        DB
                            + """
                            payments:
                              localExpiryMinutes: 0
                              pollJitterPercent: 80
                              expiredRecheckMinutes: -5
                              expiredRecheckWindowHours: 100000
                            """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "payments.localExpiryMinutes must be between 1 and 1440 (got 0)",
                        "payments.pollJitterPercent must be between 0 and 50 (got 80)",
                        "payments.expiredRecheckMinutes must be between 1 and 1440 (got -5)",
                        "payments.expiredRecheckWindowHours must be between 0 and 720 (got 100000)",
                        "payments.expiredRecheckBatchSize must be between 1 and 1000 (got 0)"));

    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("GATEWAY_PAYMENTS_POLL_INTERVAL_MILLIS", "soon"))
                    .loadText(DB))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .contains("payments.pollIntervalMillis"));
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of()).loadText(DB + "payments:\n  expiredRecheckMinuts: 5\n"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("unknown key 'payments.expiredRecheckMinuts'"));
  }

  @Test
  void theConfigCommandShowsTheTimings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, DB + "payments:\n  expiredRecheckMinutes: 45\n");
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));

    assertThat(cli.execute("config", "--config", file.toString())).isZero();

    assertThat(out.toString())
        .contains(
            "expiredRecheckMinutes: 45",
            "expiredRecheckWindowHours: 48",
            "pollJitterPercent: 20",
            "localExpiryMinutes: 10",
            "firstPollDelaySeconds: 20",
            "PENDING:",
            "firstPauseMillis: 15000");
  }

  @Test
  void theDemoKeepsTheConfiguredTimingsAndUsesTheSimulator() {
    PaymentsConfig configured =
        new ConfigLoader(Map.of()).loadText(DB + "payments:\n  localExpiryMinutes: 3\n").payments();

    PaymentsConfig demo = PaymentsWiring.demoConfig(configured);

    assertThat(demo.localExpiryMinutes()).isEqualTo(3);
    assertThat(demo.providers())
        .singleElement()
        .extracting(PaymentsConfig.Provider::kind)
        .isEqualTo("simulator");
  }

  private static final String PROVIDERS =
      """
      payments:
        providers:
          - {name: mtn-gh, kind: mtn_momo}
          - {name: hubtel, kind: hubtel, settings: {merchantAccount: HM1}}
        providerByNetwork: {MTN: mtn-gh, TELECEL: hubtel, AIRTELTIGO: hubtel}
      """;

  @Test
  void eachAssemblyCanHaveItsOwnProvidersAndPrefixes() {
    PaymentsConfig payments =
        new ConfigLoader(Map.of())
            .loadText(
                DB
                    + PROVIDERS
                    + """
                      prefixes: {"0240": TELECEL}
                      routingByAssembly:
                        KMA:
                          providerByNetwork: {MTN: hubtel}
                          prefixes: {"0599": AIRTELTIGO}
                    """)
            .payments();
    PaymentSettings settings = PaymentsWiring.settings(payments, PaymentsWiring.routing(payments));

    // Everywhere: the extra prefix wins over Ghana's 024 (longest match).
    var everywhere = settings.routingFor("AMA");
    assertThat(everywhere.providerByNetwork()).containsEntry(Network.MTN, "mtn-gh");
    assertThat(everywhere.networkByPrefix(Msisdn.parse("0240123456").orElseThrow()))
        .contains(Network.TELECEL);
    // KMA: MTN through Hubtel, its own prefix, and the payments-wide ones still apply.
    var kma = settings.routingFor("kma");
    assertThat(kma.providerByNetwork())
        .containsEntry(Network.MTN, "hubtel")
        .containsEntry(Network.TELECEL, "hubtel");
    assertThat(kma.networkByPrefix(Msisdn.parse("0599123456").orElseThrow()))
        .contains(Network.AIRTELTIGO);
    assertThat(kma.networkByPrefix(Msisdn.parse("0240123456").orElseThrow()))
        .contains(Network.TELECEL);
    assertThat(kma.networkByPrefix(Msisdn.parse("0591234567").orElseThrow())).contains(Network.MTN);
  }

  @Test
  void badRoutingIsOneClearLineEach() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of())
                    .loadText(
                        DB
                            + PROVIDERS.replace("AIRTELTIGO: hubtel", "VODA: hubtel")
                            + """
                              prefixes: {"24": MTN, "0501": GLO}
                              routingByAssembly:
                                KMA:
                                  providerByNetwork: {MTN: mtn}
                            """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "payments.providerByNetwork: unknown network 'VODA' (one of MTN, TELECEL, AIRTELTIGO)",
                        "payments.prefixes: '24' is not a local prefix like 024",
                        "payments.prefixes.0501: unknown network 'GLO' (one of MTN, TELECEL, AIRTELTIGO)",
                        "payments.routingByAssembly.KMA.providerByNetwork.MTN: no provider named 'mtn' (configured: hubtel, mtn-gh)"));
  }

  @Test
  void theRetryTableCanBeTunedRowByRowAndIsChecked() {
    PaymentsConfig payments =
        new ConfigLoader(Map.of())
            .loadText(
                DB
                    + """
                    payments:
                      retry:
                        PENDING: {firstPauseMillis: 5000}
                        RATE_LIMITED: {maxAttempts: 3}
                    """)
            .payments();
    RetryTable table =
        PaymentsWiring.settings(payments, PaymentsWiring.routing(payments)).retryTable();

    assertThat(table.rule(RetryCause.PENDING)).isEqualTo(new RetryRule(5_000, 60_000, 40));
    assertThat(table.rule(RetryCause.RATE_LIMITED)).isEqualTo(new RetryRule(30_000, 300_000, 3));
    assertThat(table.rule(RetryCause.TIMEOUT))
        .isEqualTo(RetryTable.defaults().rule(RetryCause.TIMEOUT));

    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of())
                    .loadText(
                        DB
                            + """
                            payments:
                              retry:
                                PENDNG: {maxAttempts: 2}
                                TIMEOUT: {firstPauseMillis: 10, maxAttempts: 0}
                                NETWORK: {firstPauseMillis: 9000, maxPauseMillis: 1000}
                            """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "payments.retry.PENDNG: unknown cause (one of PENDING, TIMEOUT, SERVER_ERROR, NETWORK, AUTHENTICATION_FAILED, RATE_LIMITED, MALFORMED_RESPONSE, UNEXPECTED_RESPONSE)",
                        "payments.retry.TIMEOUT.firstPauseMillis must be at least 100 (got 10)",
                        "payments.retry.TIMEOUT.maxAttempts must be between 1 and 10000 (got 0)",
                        "payments.retry.NETWORK.maxPauseMillis must be between firstPauseMillis and 86400000 (got 1000)"));
  }
}
