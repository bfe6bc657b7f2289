package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.assemblypay.gateway.http.GatewayHttpServer;
import org.junit.jupiter.api.Test;

/** Demo mode: the in-process SMSC simulator and the browser phone's SMS routes over HTTP. */
class DemoSmsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void theBrowserPhoneSeesItsReceiptsAndItsTextsReachTheCommandHandler() throws Exception {
    try (var bed = new SmsTestBed(1)) {
      var config =
          SmsConfig.defaults()
              .withServedAssemblies(bed.assemblies)
              .withInboundNumbers(
                  List.of(new SmsConfig.InboundNumber(SmsTestBed.SHORT_CODE, bed.assembly(0))));
      bed.sms =
          SmsWiring.demo(
              config, bed.database(), bed.ledger, bed.handler, bed.registry, Clock.systemUTC());
      assertThat(bed.sms.connector().awaitBound(WAIT)).isTrue();
      assertThat(bed.sms.readiness().check()).contains("simulator=BOUND");
      Vertx vertx = Vertx.vertx();
      try (var server =
          GatewayHttpServer.start(
              vertx,
              "127.0.0.1",
              0,
              List.of(
                  new SimulatorSmsRoutes(
                      bed.sms.simulator().orElseThrow(), SmsTestBed.SHORT_CODE)))) {
        String base = "http://127.0.0.1:" + server.port() + "/simulator/api/sms";
        String phone = SmsTestBed.phone();
        String local = "0" + phone.substring(3);
        bed.enqueue(0, phone, "Paid GHS 5.00. Receipt " + bed.assembly(0) + "-2026-000001");
        bed.sms.outboxChanged();

        await(
            "the receipt in the phone's inbox",
            WAIT,
            () -> new JsonArray(get(base + "?msisdn=" + local).body()).size() == 1);
        JsonObject sms = new JsonArray(get(base + "?msisdn=" + local).body()).getJsonObject(0);
        assertThat(sms.getString("text"))
            .isEqualTo("Paid GHS 5.00. Receipt " + bed.assembly(0) + "-2026-000001");
        assertThat(sms.getString("from")).isEqualTo(bed.ledgerOf(0).assembly().smsSenderId());

        HttpResponse<String> sent =
            post(base, new JsonObject().put("from", local).put("text", "BAL").encode());
        assertThat(sent.statusCode()).isEqualTo(202);
        await("the command handled", WAIT, () -> !bed.handler.calls.isEmpty());
        assertThat(bed.handler.calls.get(0).assemblyCode()).isEqualTo(bed.assembly(0));
        assertThat(bed.handler.calls.get(0).text()).isEqualTo("BAL");
        assertThat(bed.handler.calls.get(0).sender()).isEqualTo(phone);

        assertThat(post(base, "{\"from\":\"not a number\",\"text\":\"BAL\"}").statusCode())
            .isEqualTo(400);
        assertThat(post(base, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(get(base + "?msisdn=abc").statusCode()).isEqualTo(400);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    }
  }

  private HttpResponse<String> get(String uri) {
    try {
      return client.send(
          HttpRequest.newBuilder(URI.create(uri)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(String uri, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(uri))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
