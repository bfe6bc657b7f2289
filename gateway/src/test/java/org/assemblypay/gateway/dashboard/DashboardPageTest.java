package org.assemblypay.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assemblypay.gateway.admin.AdminCredential;
import org.assemblypay.gateway.admin.AdminRole;
import org.assemblypay.gateway.admin.AdminRoutes;
import org.assemblypay.gateway.admin.AdminSettings;
import org.assemblypay.gateway.demo.Demo;
import org.assemblypay.gateway.demo.DemoSeed;
import org.assemblypay.gateway.http.DashboardRoutes;
import org.assemblypay.gateway.http.GatewayHttpServer;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.CollectionGrouping;
import org.assemblypay.ledger.CollectionTotals;
import org.assemblypay.ledger.DateRange;
import org.assemblypay.ledger.Language;
import org.assemblypay.ledger.MarketCollections;
import org.assemblypay.ledger.NewPayment;
import org.assemblypay.ledger.OutboundSmsDraft;
import org.assemblypay.ledger.PaymentFilter;
import org.assemblypay.ledger.PaymentPurpose;
import org.assemblypay.ledger.PaymentStatus;
import org.assemblypay.ledger.Trader;
import org.assemblypay.ledger.UssdScreenCount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The finance officer's page in headless Chromium against the running demo's ledger: a wrong key is
 * refused with a clear message, the demo finance key shows AMA's figures — today's collections by
 * channel, market and collector, arrears by market as a chart, payments pending, the SMS delivery
 * rate and USSD drop-off, each from the admin API and none "not available" — and a screenshot is
 * saved to {@code target/dashboard.png}.
 *
 * <p>The page and the admin API are served together (same origin) by a server built here from
 * {@link DashboardRoutes} and {@link AdminRoutes} over the demo's ledger, so the test does not
 * depend on which route groups the demo node mounts.
 */
class DashboardPageTest {
  static Demo demo;
  static Vertx vertx;
  static ExecutorService workers;
  static GatewayHttpServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    demo = Demo.start(0, null);
    vertx = Vertx.vertx();
    workers = Executors.newFixedThreadPool(2);
    List<AdminCredential> credentials =
        List.of(
            new AdminCredential(
                "demo-ama-finance",
                sha256Hex(Demo.DEMO_FINANCE_KEY),
                AdminRole.FINANCE_OFFICER,
                DemoSeed.CODE));
    server =
        GatewayHttpServer.start(
            vertx,
            "127.0.0.1",
            0,
            List.of(
                new DashboardRoutes(),
                new AdminRoutes(
                    vertx,
                    demo.node().ledger(),
                    credentials,
                    workers,
                    new SimpleMeterRegistry(),
                    AdminSettings.defaults())));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownNow();
    }
    if (demo != null) {
      demo.close();
    }
  }

  private static String uri(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Test
  void servesThePageWithHeadersThatKeepTheKeyInside() throws Exception {
    HttpResponse<String> bare =
        http.send(
            HttpRequest.newBuilder(URI.create(uri("/dashboard"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/dashboard/");

    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(uri("/dashboard/"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("AssemblyPay finance dashboard", "dashboard.js");
    assertThat(page.headers().firstValue("content-security-policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");

    HttpResponse<String> script =
        http.send(
            HttpRequest.newBuilder(URI.create(uri("/dashboard/dashboard.js"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("sessionStorage", "'Bearer '");
  }

  @Test
  void aWrongKeyIsRefusedAndTheFinanceKeyShowsTheAssemblysFigures() throws Exception {
    AssemblyLedger ama = demo.node().ledger().assembly(DemoSeed.CODE);
    LocalDate today = LocalDate.now(ZoneId.of("Africa/Accra"));
    List<MarketCollections> collections = ama.collectionsByMarket(today);
    long collectedToday =
        collections.stream().mapToLong(c -> c.mobileMoneyPesewas() + c.cashPesewas()).sum();
    List<Trader> traders = ama.searchTraders("", 0, 100);
    long arrears = traders.stream().mapToLong(t -> ama.arrears(t.id()).totalPesewas()).sum();
    // A payment waiting for the payer's approval, and a morning of USSD traffic.
    UUID waiting = UUID.randomUUID();
    ama.createPaymentIntent(
        new NewPayment(
            waiting,
            "mtn",
            traders.get(0).id(),
            "0244000901",
            1_500,
            PaymentPurpose.ARREARS,
            Language.EN));
    ama.markPending(waiting);
    LocalDate utcToday = LocalDate.now(ZoneOffset.UTC);
    ama.addUssdScreenCounts(
        utcToday,
        List.of(
            new UssdScreenCount("trader_home", 12, 12, 10, 0),
            new UssdScreenCount("pay_amount", 0, 7, 5, 0),
            new UssdScreenCount("pay_done", 0, 0, 0, 5)));
    // Three SMS through the demo's dispatcher and SMSC simulator, so the rate has reports to count.
    for (int i = 1; i <= 3; i++) {
      ama.enqueueSms(
          new OutboundSmsDraft("024400095" + i, "Dashboard test " + i, Language.EN, null));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ama.smsSummary(DateRange.day(today)).delivered() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(ama.smsSummary(DateRange.day(today)).delivered())
        .as("the demo delivers SMS through its SMSC simulator")
        .isGreaterThanOrEqualTo(3);
    long pending =
        ama.payments(
                new PaymentFilter(
                    new DateRange(today.minusDays(6), today),
                    Set.of(PaymentStatus.INITIATED, PaymentStatus.PENDING),
                    null,
                    null),
                0,
                10)
            .total();
    List<CollectionTotals> byCollector =
        ama.collectionTotals(DateRange.day(today), CollectionGrouping.COLLECTOR);

    WebDriver browser = chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.get(uri("/dashboard"));
      wait.until(d -> "login".equals(state(d)));

      logIn(browser, "not-a-real-key", "AMA");
      wait.until(d -> "refused".equals(state(d)));
      WebElement error = browser.findElement(By.id("login-error"));
      assertThat(error.isDisplayed()).isTrue();
      assertThat(error.getText())
          .isEqualTo("That API key was not accepted. Check the key and try again.");
      assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
      assertThat(sessionKey(browser)).as("a refused key is not kept").isNull();

      logIn(browser, Demo.DEMO_FINANCE_KEY, "KMA");
      wait.until(
          d -> d.findElement(By.id("login-error")).getText().contains("not for assembly KMA"));

      logIn(browser, Demo.DEMO_FINANCE_KEY, "ama");
      wait.until(d -> "ready".equals(state(d)));
      assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.id("assembly-name")).getText())
          .isEqualTo("Accra Metropolitan Assembly (AMA)");
      assertThat(sessionKey(browser)).isEqualTo(Demo.DEMO_FINANCE_KEY);

      assertThat(collectedToday).as("the demo seeds today's cash payments").isPositive();
      assertThat(browser.findElement(By.id("total-today")).getText())
          .isEqualTo(ghs(collectedToday));
      String table = browser.findElement(By.id("collections-table")).getText();
      for (MarketCollections c : collections) {
        assertThat(table).contains(c.marketName());
      }

      List<WebElement> bars = browser.findElements(By.cssSelector("#arrears-chart svg g"));
      assertThat(bars).hasSize(3);
      String chart = browser.findElement(By.id("arrears-chart")).getText();
      assertThat(chart).contains("Makola Market", "Kaneshie Market", "Neoplan Lorry Park");
      assertThat(browser.findElement(By.id("arrears-note")).getText())
          .startsWith("Total owed " + ghs(arrears) + " by ")
          .contains(" of " + traders.size() + " traders");

      assertThat(browser.findElement(By.id("caller")).getText())
          .isEqualTo("demo-ama-finance, finance-officer");
      assertThat(browser.findElement(By.id("pending-reversals")).getText()).isEqualTo("0");
      assertThat(pending).isPositive();
      assertThat(browser.findElement(By.id("pending-count")).getText())
          .startsWith(pending + " (GHS ");
      assertThat(browser.findElement(By.id("pending-table")).getText())
          .contains("mtn", "GHS 15.00", "PENDING");

      String collectorsTable = browser.findElement(By.id("collectors-table")).getText();
      assertThat(byCollector).isNotEmpty();
      for (CollectionTotals c : byCollector) {
        assertThat(collectorsTable).contains(c.label());
      }

      long smsTotal = ama.smsSummary(DateRange.day(today)).total();
      long delivered = number(browser, "sms-delivered");
      long failed = number(browser, "sms-failed");
      assertThat(delivered + failed + number(browser, "sms-pending"))
          .isEqualTo(number(browser, "sms-total"))
          .isEqualTo(smsTotal);
      String rate = browser.findElement(By.id("sms-rate")).getText();
      assertThat(delivered).isGreaterThanOrEqualTo(3);
      assertThat(rate)
          .isEqualTo(
              BigDecimal.valueOf(delivered * 100)
                      .divide(BigDecimal.valueOf(delivered + failed), 1, RoundingMode.HALF_UP)
                  + " %");

      assertThat(browser.findElement(By.id("ussd-summary")).getText())
          .startsWith("12 sessions started, 5 reached a final screen, 4 left a screen unanswered");
      assertThat(browser.findElement(By.id("ussd-table")).getText())
          .contains("trader_home", "pay_amount");

      assertThat(browser.findElement(By.tagName("body")).getText())
          .doesNotContainIgnoringCase("not available");
      assertThat(browser.findElement(By.id("load-error")).isDisplayed()).isFalse();

      // The whole page in one picture: grow the window to the page's height first.
      long height =
          (Long)
              ((org.openqa.selenium.JavascriptExecutor) browser)
                  .executeScript("return document.documentElement.scrollHeight;");
      browser
          .manage()
          .window()
          .setSize(new org.openqa.selenium.Dimension(1200, (int) Math.min(height + 200, 4000)));
      byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
      Files.write(Path.of("target", "dashboard.png"), png);
      assertThat(png.length).isGreaterThan(1_000);

      browser.findElement(By.id("logout")).click();
      wait.until(d -> "login".equals(state(d)));
      assertThat(sessionKey(browser)).as("logging out forgets the key").isNull();
    } finally {
      browser.quit();
    }
  }

  private static long number(WebDriver browser, String id) {
    return Long.parseLong(browser.findElement(By.id(id)).getText());
  }

  private static void logIn(WebDriver browser, String key, String assembly) {
    WebElement keyField = browser.findElement(By.id("api-key"));
    keyField.clear();
    keyField.sendKeys(key);
    WebElement code = browser.findElement(By.id("assembly-code"));
    code.clear();
    code.sendKeys(assembly);
    browser.findElement(By.id("login-button")).click();
  }

  private static String state(WebDriver d) {
    return d.findElement(By.tagName("body")).getAttribute("data-state");
  }

  private static Object sessionKey(WebDriver browser) {
    return ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript("return sessionStorage.getItem('assemblypay.dashboard.apiKey');");
  }

  /** As the page shows money: GHS with a thousands comma and two decimals. */
  private static String ghs(long pesewas) {
    return String.format(Locale.US, "GHS %,.2f", BigDecimal.valueOf(pesewas).movePointLeft(2));
  }

  /** Headless Debian Chromium, set up as in DemoEndToEndTest. */
  private static WebDriver chromium() throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
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
        "--window-size=1200,1100",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static String sha256Hex(String key) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
