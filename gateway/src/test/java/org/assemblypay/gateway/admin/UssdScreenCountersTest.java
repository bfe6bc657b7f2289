package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.assemblypay.ledger.DateRange;
import org.assemblypay.ledger.UssdScreenCount;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.memory.InMemorySessionStore;
import org.assemblypay.ussd.EngineListener;
import org.assemblypay.ussd.Msisdn;
import org.assemblypay.ussd.ScreenBudget;
import org.assemblypay.ussd.ScreenHop;
import org.assemblypay.ussd.UssdEngine;
import org.assemblypay.ussd.UssdReply;
import org.assemblypay.ussd.UssdRequest;
import org.assemblypay.ussd.menu.MenuLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * USSD sessions and drop-off per screen, end to end: real engine hops (with a retried duplicate)
 * are counted in memory, flushed to the assembly's PostgreSQL table, and served by the admin API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UssdScreenCountersTest {
  private static final String MENU =
      """
      start: main
      languages: [en]
      varMaxLengths: {amount: 9}
      screens:
        main:
          text: main.title
          options:
            - {label: main.pay, next: amount}
            - {label: main.bye, next: bye}
        amount:
          text: pay.amount
          input: {var: amount, type: decimal, min: 1, max: 500, invalid: pay.invalid}
          next: confirm
        confirm:
          text: pay.confirm
          options:
            - {label: common.yes, next: paid}
        paid:
          text: pay.done
          end: true
        bye:
          text: bye.text
          end: true
      messages:
        en:
          main.title: Welcome
          main.pay: Pay
          main.bye: Goodbye
          pay.amount: Enter amount
          pay.invalid: "Amount must be 1 to 500."
          pay.confirm: "Pay GHS {amount}?"
          common.yes: "Yes"
          pay.done: "Paid GHS {amount}."
          bye.text: Bye
      """;

  private AdminApi api;
  private ExecutorService actions;
  private SimpleMeterRegistry registry;
  private UssdScreenCounters counters;
  private UssdEngine engine;
  private String serviceCode;

  @BeforeAll
  void start() throws Exception {
    api = new AdminApi(AdminSettings.defaults());
    serviceCode = api.ledger.assemblies().find(api.a).orElseThrow().ussdServiceCodes().get(0);
    actions = Executors.newFixedThreadPool(2);
    registry = new SimpleMeterRegistry();
    Clock clock = Clock.systemUTC();
    counters = new UssdScreenCounters(api.ledger, EngineListener.NONE, clock, 100, registry);
    engine =
        UssdEngine.builder()
            .menu(
                MenuLoader.load(
                    new ByteArrayInputStream(MENU.getBytes(StandardCharsets.UTF_8)), "test"))
            .store(new InMemorySessionStore(SessionStoreSettings.DEFAULTS, clock, registry))
            .actionExecutor(actions)
            .meterRegistry(registry)
            .clock(clock)
            .listener(counters)
            .build();
  }

  @AfterAll
  void stop() throws Exception {
    actions.shutdownNow();
    actions.awaitTermination(5, TimeUnit.SECONDS);
    api.close();
  }

  private UssdReply hop(String code, String session, String input, boolean first, long seq)
      throws Exception {
    UssdRequest request =
        new UssdRequest(
            "test",
            session,
            // One phone per session, so no session is offered another's resume.
            Msisdn.parse("02440008" + session.substring(1) + "1").orElseThrow(),
            code,
            "MTN",
            input,
            first,
            first ? code : "",
            OptionalLong.of(seq),
            UssdRequest.InputStyle.SINGLE);
    return engine
        .handle(request, ScreenBudget.DEFAULT)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void sessionsAndDropOffPerScreenAreCountedFlushedAndServed() throws Exception {
    // s1 pays (main → amount → confirm → paid), with a retried duplicate of its second hop.
    hop(serviceCode, "s1", "", true, 1);
    hop(serviceCode, "s1", "1", false, 2);
    hop(serviceCode, "s1", "1", false, 2);
    hop(serviceCode, "s1", "20", false, 3);
    assertThat(hop(serviceCode, "s1", "1", false, 4).action()).isEqualTo(UssdReply.Action.END);
    // s2 types a bad amount once, then hangs up on the amount screen.
    hop(serviceCode, "s2", "", true, 1);
    hop(serviceCode, "s2", "1", false, 2);
    hop(serviceCode, "s2", "9999", false, 3);
    // s3 hangs up on the first screen; s4 says goodbye.
    hop(serviceCode, "s3", "", true, 1);
    hop(serviceCode, "s4", "", true, 1);
    hop(serviceCode, "s4", "2", false, 2);
    // A code no assembly owns is counted in memory but dropped at the flush.
    hop("*999*1#", "s5", "", true, 1);

    counters.flush();
    counters.flush(); // nothing new: adds nothing

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Map<String, UssdScreenCount> byScreen = new HashMap<>();
    for (UssdScreenCount c : api.ledgerOf(api.a).ussdScreenCounts(DateRange.day(today))) {
      byScreen.put(c.screen(), c);
    }
    assertThat(byScreen.get("main")).isEqualTo(new UssdScreenCount("main", 4, 4, 3, 0));
    // Shown twice for s2 (re-prompt) and once for s1; answered the same way except s2's last.
    assertThat(byScreen.get("amount")).isEqualTo(new UssdScreenCount("amount", 0, 3, 2, 0));
    assertThat(byScreen.get("amount").droppedOff()).isEqualTo(1);
    assertThat(byScreen.get("confirm")).isEqualTo(new UssdScreenCount("confirm", 0, 1, 1, 0));
    assertThat(byScreen.get("paid")).isEqualTo(new UssdScreenCount("paid", 0, 0, 0, 1));
    assertThat(byScreen.get("bye")).isEqualTo(new UssdScreenCount("bye", 0, 0, 0, 1));
    assertThat(registry.get("ussd.screen.counters.unknown.code").counter().count()).isEqualTo(1);
    // The unknown code's counters are forgotten; the five known screens stay for the day.
    assertThat(registry.get("ussd.screen.counters.keys").gauge().value()).isEqualTo(5);

    Response r =
        api.get(
            "a-auditor",
            "/api/v1/assemblies/" + api.a + "/ussd/screens?from=" + today + "&to=" + today);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject body = r.json();
    assertThat(body.getLong("sessionsStarted")).isEqualTo(4);
    assertThat(body.getLong("sessionsEnded")).isEqualTo(2);
    assertThat(body.getLong("sessionsDroppedOff")).isEqualTo(2);
    assertThat(body.getJsonArray("screens").getJsonObject(0).getLong("droppedOff")).isEqualTo(1);
    assertThat(
            body.getJsonArray("screens").stream()
                .map(o -> ((JsonObject) o).getString("screen"))
                .toList())
        .containsExactlyInAnyOrderElementsOf(List.of("main", "amount", "confirm", "paid", "bye"));
    // Another assembly's credential cannot read them.
    assertThat(
            api.get(
                    "b-auditor",
                    "/api/v1/assemblies/" + api.a + "/ussd/screens?from=" + today + "&to=" + today)
                .status())
        .isEqualTo(403);
  }

  @Test
  void aFailedWriteKeepsTheCountsForTheNextFlush() throws Exception {
    String codeB = api.ledger.assemblies().find(api.b).orElseThrow().ussdServiceCodes().get(0);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    UssdScreenCounters node =
        new UssdScreenCounters(api.ledger, EngineListener.NONE, Clock.systemUTC(), 100, meters);
    for (int i = 0; i < 3; i++) {
      node.onHop(new ScreenHop(codeB, null, "main", false));
    }
    node.onHop(new ScreenHop(codeB, "main", "bye", true));
    String table = "asm_" + api.b.toLowerCase(java.util.Locale.ROOT) + ".ussd_screen_stats";
    String ddl;
    try (var c = api.db.connect();
        var s = c.createStatement()) {
      // The database loses the table for a moment: the flush fails and must keep the counts.
      s.execute("create table " + table + "_saved (like " + table + " including all)");
      s.execute("drop table " + table);
      ddl = "alter table " + table + "_saved rename to ussd_screen_stats";
    }
    node.flush();
    assertThat(meters.get("ussd.screen.counters.flush.failures").counter().count()).isEqualTo(1);
    try (var c = api.db.connect();
        var s = c.createStatement()) {
      s.execute(ddl);
    }
    node.flush();
    node.flush();

    Map<String, UssdScreenCount> byScreen = new HashMap<>();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (UssdScreenCount c : api.ledgerOf(api.b).ussdScreenCounts(DateRange.day(today))) {
      byScreen.put(c.screen(), c);
    }
    assertThat(byScreen.get("main")).isEqualTo(new UssdScreenCount("main", 3, 3, 1, 0));
    assertThat(byScreen.get("bye")).isEqualTo(new UssdScreenCount("bye", 0, 0, 0, 1));
    assertThat(meters.get("ussd.screen.counters.flush.failures").counter().count()).isEqualTo(1);
  }
}
