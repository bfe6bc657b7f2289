package org.assemblypay.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assemblypay.ledger.Correlation;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway's own JSON encoder (logback.xml): what a line with structured values becomes. */
class JsonLogLinesTest {

  record Outcome(Optional<String> txnId, Instant at, String payer) {}

  @Test
  void aRecordWithOptionalsAndInstantsIsWrittenNotLostAndCarriesTheCorrelationId()
      throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    Encoder<ILoggingEvent> encoder =
        ((OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON")).getEncoder();
    List<String> lines = new ArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
          }
        };
    capture.setContext(root.getLoggerContext());
    capture.start();
    Logger logger = (Logger) LoggerFactory.getLogger("org.assemblypay.test.JsonLogLines");
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(capture);
    try {
      Correlation.run(
          "u-0123456789abcdef0123",
          () ->
              logger
                  .atInfo()
                  .addKeyValue(
                      "outcome", new Outcome(Optional.of("SIM-1"), Instant.EPOCH, "233244123678"))
                  .addKeyValue("when", Instant.EPOCH)
                  .log("collection request answered"));
      logger.info("after the scope");
    } finally {
      logger.detachAppender(capture);
      logger.setAdditive(true);
      logger.setLevel(null);
    }

    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.path("message").asText()).isEqualTo("collection request answered");
    assertThat(first.path("correlationId").asText()).isEqualTo("u-0123456789abcdef0123");
    assertThat(first.path("outcome").asText())
        .contains("Optional[SIM-1]", "1970-01-01T00:00:00Z", "0244***678")
        .doesNotContain("233244123678");
    assertThat(first.path("when").asText()).isEqualTo("1970-01-01T00:00:00Z");
    JsonNode second = new ObjectMapper().readTree(lines.get(1));
    assertThat(second.has("correlationId")).as("the id does not outlive its scope").isFalse();
  }
}
