package org.assemblypay.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as a trader and a collector meet it: a real embedded PostgreSQL, the USSD route, the
 * simulated mobile-money provider, the SMSC simulator over TCP and the browser phone's SMS inbox.
 */
class DemoEndToEndTest {
  static Demo demo;
  static Path dataDirectory;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    demo = Demo.start(0, null);
    dataDirectory = demo.dataDirectory();
  }

  @AfterAll
  static void stop() {
    demo.close();
    assertThat(Files.exists(dataDirectory)).as("demo data removed on stop").isFalse();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + demo.httpPort() + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String hop(String sessionId, String msisdn, String text) throws Exception {
    String form =
        "sessionId="
            + sessionId
            + "&serviceCode="
            + enc(DemoSeed.USSD_CODE)
            + "&phoneNumber="
            + enc(msisdn)
            + "&networkCode=62001&text="
            + enc(text);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/ussd/africastalking"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static HttpResponse<String> callback(String provider, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/payments/callback/" + provider))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Polls the browser phone's inbox until a message matches, for at most 30 s. */
  private static String awaitSms(String msisdn, Predicate<String> wanted) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    String inbox = "";
    while (Instant.now().isBefore(deadline)) {
      inbox = get("/simulator/api/sms?msisdn=" + msisdn).body();
      if (wanted.test(inbox)) {
        return inbox;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no matching SMS for " + msisdn + "; inbox: " + inbox);
  }

  @Test
  void theDemoListensOnAFreePortAndAccruesTodayOnItsOwn() throws Exception {
    assertThat(demo.httpPort()).isPositive().isNotEqualTo(8080);
    var registry = demo.node().registry();
    if (java.time.LocalTime.now(java.time.ZoneId.of("Africa/Accra"))
        .isAfter(java.time.LocalTime.of(0, 6))) {
      // Today's accrual is due: the scheduler runs it once it starts after seeding.
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (registry.find("gateway.accrual.runs").tag("assembly", DemoSeed.CODE).counter() == null
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(registry.find("gateway.accrual.runs").tag("assembly", DemoSeed.CODE).counter())
          .isNotNull();
    } else {
      // Before 00:05 in Accra today's accrual is not due, and the assembly was registered today,
      // so no day is due at all; give the scheduler's first pass time to (not) act.
      Thread.sleep(2_000);
    }
    // Either way the seed has already accrued today, so the scheduler posts nothing.
    var posted =
        registry.find("gateway.accrual.charges.posted").tag("assembly", DemoSeed.CODE).counter();
    assertThat(posted == null ? 0 : posted.count()).isZero();
    assertThat(registry.find("gateway.accrual.failures").counters()).isEmpty();
  }

  @Test
  void seedsTheDemoAssemblyAndReportsReady() throws Exception {
    DemoSeed.Summary s = demo.summary();
    assertThat(s.assemblyName()).isEqualTo("Accra Metropolitan Assembly");
    assertThat(s.traders()).isEqualTo(50);
    assertThat(s.collectors()).hasSize(3);
    assertThat(demo.node().ledger().assembly("AMA").arrears(s.exampleTrader().id()).totalPesewas())
        .isPositive();

    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"database\"", "\"sessionStore\"", "\"smsc\"");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").body()).contains("jvm_memory_used_bytes");
    assertThat(get("/simulator/").body()).contains("AssemblyPay phone simulator");
    assertThat(get("/api/openapi.yaml").body()).contains("openapi: 3.1");
  }

  @Test
  void aTraderPaysTodaysTollAndGetsTheReceiptBySms() throws Exception {
    // A lorry-park driver: the ticket is charged every day, so something is due whatever the day.
    String msisdn = "+233244000041";
    String session = "e2e-" + UUID.randomUUID();
    assertThat(hop(session, msisdn, "")).startsWith("CON Accra Metro Assembly");
    // Drivers are seeded with various languages: check the figures, not the words.
    assertThat(hop(session, msisdn, "2"))
        .containsPattern("^CON \\S+ GHS \\d+\\.\\d\\d: ")
        .contains("\nMTN 0244000041?");
    assertThat(hop(session, msisdn, "2*1")).startsWith("END ").contains("GHS");

    String inbox = awaitSms("0244000041", text -> text.contains("AMA receipt AMA-"));
    assertThat(inbox)
        .containsPattern("AMA receipt AMA-\\d{4}-\\d{6}: GHS \\d+\\.\\d\\d .*Neoplan Lorry Park")
        .contains("Verify: ");
  }

  @Test
  void aCollectorReportsCashBySmsAndBothSidesGetTheirMessage() throws Exception {
    HttpResponse<String> sent =
        http.send(
            HttpRequest.newBuilder(uri("/simulator/api/sms"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"from\":\"0244100001\",\"text\":\"PAY AMA-T0005 2.50 1234\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).isEqualTo(202);

    String collector = awaitSms("0244100001", text -> text.contains("Recorded GHS 2.50"));
    assertThat(collector).contains("Your total today: GHS");
    String trader = awaitSms(DemoSeed.phoneOf(5), text -> text.contains("cash to Kwame Mensah"));
    assertThat(trader)
        .containsPattern("AMA receipt AMA-\\d{4}-\\d{6}: GHS 2\\.50 cash to Kwame Mensah");
  }

  @Test
  void badUssdInputGetsAClearAnswerNotA500() throws Exception {
    HttpResponse<String> garbage =
        http.send(
            HttpRequest.newBuilder(uri("/ussd/africastalking"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("sessionId=&&&"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(uri("/ussd/nosuchdialect"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> huge =
        http.send(
            HttpRequest.newBuilder(uri("/ussd/africastalking"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("text=" + "1".repeat(1024 * 1024)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(hop("e2e-foreign", "+4915123456789", "")).startsWith("END ");

    // Provider callbacks: a hint the gateway confirms itself, so junk reveals nothing and posts
    // nothing.
    assertThat(callback("simulator", "not json at all").statusCode()).isEqualTo(200);
    assertThat(
            callback(
                    "simulator",
                    "{\"referenceId\":\"" + UUID.randomUUID() + "\",\"status\":\"SUCCESSFUL\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(callback("nosuchprovider", "{}").statusCode()).isEqualTo(404);
    assertThat(callback("simulator", "x".repeat(20 * 1024)).statusCode()).isEqualTo(413);
  }

  @Test
  void thePhoneInTheBrowserDialsAndShowsEachScreen() throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    org.openqa.selenium.chrome.ChromeOptions options =
        new org.openqa.selenium.chrome.ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1200,900",
        "--user-data-dir=" + profile);
    org.openqa.selenium.chrome.ChromeDriverService service =
        new org.openqa.selenium.chrome.ChromeDriverService.Builder()
            .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    org.openqa.selenium.WebDriver browser =
        new org.openqa.selenium.chrome.ChromeDriver(service, options);
    try {
      browser.get(uri("/simulator").toString());
      org.openqa.selenium.support.ui.WebDriverWait wait =
          new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(15));
      org.openqa.selenium.WebElement number =
          browser.findElement(org.openqa.selenium.By.id("msisdn"));
      number.clear();
      number.sendKeys("0244000002");
      org.openqa.selenium.WebElement entry =
          browser.findElement(org.openqa.selenium.By.id("entry"));
      org.openqa.selenium.WebElement send = browser.findElement(org.openqa.selenium.By.id("send"));
      org.openqa.selenium.By screen = org.openqa.selenium.By.id("screen");

      entry.sendKeys("*713*44#");
      send.click();
      wait.until(d -> d.findElement(screen).getText().contains("Accra Metro Assembly"));
      assertThat(browser.findElement(screen).getText()).contains("1. Check arrears");

      // Keypad buttons type too, as on a real phone.
      browser.findElement(org.openqa.selenium.By.cssSelector("button[data-key='1']")).click();
      send.click();
      wait.until(d -> d.findElement(screen).getText().contains("Owed GHS"));

      byte[] png =
          ((org.openqa.selenium.TakesScreenshot) browser)
              .getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
      Files.write(Path.of("target", "simulator-phone.png"), png);
      assertThat(png.length).isGreaterThan(1_000);
    } finally {
      browser.quit();
    }
  }
}
