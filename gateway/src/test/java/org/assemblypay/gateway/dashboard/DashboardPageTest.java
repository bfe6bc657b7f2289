package org.assemblypay.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.File;
import java.math.BigDecimal;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
import org.assemblypay.ledger.MarketCollections;
import org.assemblypay.ledger.Trader;
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
 * refused with a clear message, the demo finance key shows AMA's figures, and a screenshot is saved
 * to {@code target/dashboard.png}.
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

      assertThat(browser.findElement(By.id("pending-reversals")).getText()).isEqualTo("0");
      assertThat(browser.findElement(By.id("pending-payments")).getText())
          .contains("Not available yet");
      assertThat(browser.findElement(By.id("sms-rate")).getText()).contains("Not available yet");
      assertThat(browser.findElement(By.id("load-error")).isDisplayed()).isFalse();

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
