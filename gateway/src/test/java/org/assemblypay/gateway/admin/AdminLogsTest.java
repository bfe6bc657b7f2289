package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the admin API logs while keys, PINs and phone numbers go past: none of them. */
class AdminLogsTest {
  @Test
  void noKeyPinOrPhoneNumberReachesTheLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // The test reads INFO lines whatever GATEWAY_LOG_LEVEL the shell exported to logback.xml.
    Level before = root.getLevel();
    root.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (AdminApi api = new AdminApi(AdminSettings.defaults())) {
      String base = "/api/v1/assemblies/" + api.a;
      api.market(api.a, "LOG");
      long id =
          api.post(
                  "a-admin",
                  base + "/collectors",
                  "{\"staffNumber\":\"S-LOG\",\"name\":\"Log Collector\",\"phone\":\"0244000888\",\"marketCodes\":[\"LOG\"]}")
              .json()
              .getLong("id");
      api.post("a-admin", base + "/collectors/" + id + "/pin-resets", null);
      api.post(
          "a-finance",
          base + "/traders",
          "{\"customerNumber\":\"LOG-1\",\"name\":\"Log Trader\",\"phone\":\"0244000889\",\"marketCode\":\"LOG\"}");
      api.post("a-finance", base + "/traders", "{\"phone\":\"0244000890\"}");
      api.get("k-guessed-key-0244000891", base + "/markets");

      List<String> pins = api.outboxTexts(api.a, "233244000888");
      assertThat(pins).hasSize(2);
      String text = logText(captured.list);
      assertThat(text).contains("admin write operation=createCollector credential=a-admin");
      for (String sms : pins) {
        Matcher m = Pattern.compile("PIN is ([0-9]+)").matcher(sms);
        assertThat(m.find()).isTrue();
        assertThat(text).doesNotContain("PIN is " + m.group(1)).doesNotContain("pin=" + m.group(1));
      }
      for (String key : api.keys.values()) {
        assertThat(text).doesNotContain(key);
      }
      assertThat(text)
          .doesNotContain("k-guessed-key")
          .doesNotContainPattern("0244000(888|889|890|891)")
          .doesNotContainPattern("233244000(888|889|890|891)");
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
    }
  }

  private static String logText(List<ILoggingEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (ILoggingEvent e : List.copyOf(events)) {
      sb.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    return sb.toString();
  }
}
