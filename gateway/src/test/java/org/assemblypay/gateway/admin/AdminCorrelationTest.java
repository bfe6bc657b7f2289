package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An admin call's correlation id: the caller's if safe, else a new one; in the header and logs. */
class AdminCorrelationTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void aCallersIdComesBackAndTagsTheWriteLineOtherwiseOneIsMadeUp() throws Exception {
    Logger replies = (Logger) LoggerFactory.getLogger(Replies.class);
    Level before = replies.getLevel();
    List<Map<String, String>> writeLines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage().startsWith("admin write")) {
              writeLines.add(Map.copyOf(e.getMDCPropertyMap()));
            }
          }
        };
    capture.start();
    replies.setLevel(Level.INFO);
    replies.addAppender(capture);
    try (AdminApi api = new AdminApi(AdminSettings.defaults())) {
      api.market(api.a, "MKT");
      String traders = "/api/v1/assemblies/" + api.a + "/traders";
      String trader =
          "{\"customerNumber\":\"CORR-1\",\"name\":\"Corr Trader\",\"phone\":\"0244000777\","
              + "\"marketCode\":\"MKT\"}";

      HttpResponse<String> created = call(api, "POST", traders, "a-finance", trader, "ops-7");
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.headers().firstValue("X-Correlation-Id")).contains("ops-7");
      assertThat(writeLines)
          .singleElement()
          .satisfies(mdc -> assertThat(mdc).containsEntry("correlationId", "ops-7"));

      HttpResponse<String> invalid = call(api, "POST", traders, "a-finance", "{\"x\":1}", "ops-8");
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(invalid.headers().firstValue("X-Correlation-Id")).contains("ops-8");

      HttpResponse<String> anonymous = call(api, "GET", traders, null, null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("X-Correlation-Id").orElseThrow())
          .matches("a-[0-9a-f]{20}");

      HttpResponse<String> phoneAsId = call(api, "GET", traders, "a-finance", null, "0244000777");
      assertThat(phoneAsId.statusCode()).isEqualTo(200);
      assertThat(phoneAsId.headers().firstValue("X-Correlation-Id").orElseThrow())
          .matches("a-[0-9a-f]{20}");
    } finally {
      replies.detachAppender(capture);
      replies.setLevel(before);
    }
  }

  private HttpResponse<String> call(
      AdminApi api, String method, String path, String credential, String body, String id)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) {
      r.header("Authorization", "Bearer " + api.keys.get(credential));
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (id != null) {
      r.header("X-Correlation-Id", id);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
