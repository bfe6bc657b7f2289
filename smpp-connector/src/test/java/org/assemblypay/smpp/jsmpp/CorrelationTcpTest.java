package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.OutboxSource;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.Submission;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Over real TCP: each outbox row's correlation id is in the log context while its SMS is submitted
 * and recorded, and the dispatcher's own thread carries none between messages.
 */
class CorrelationTcpTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The in-memory outbox, handing out rows with an id and noting the context of each call. */
  static final class CorrelatedOutbox implements OutboxSource {
    final InMemoryOutbox rows;
    final List<String> contextAtClaim = new CopyOnWriteArrayList<>();
    final Map<Long, String> contextAtSubmitted = new ConcurrentHashMap<>();

    CorrelatedOutbox(InMemoryOutbox rows) {
      this.rows = rows;
    }

    @Override
    public List<OutboundMessage> claimDue(int max) {
      contextAtClaim.add(String.valueOf(MDC.get(SmsCorrelation.MDC_KEY)));
      List<OutboundMessage> out = new ArrayList<>();
      for (OutboundMessage m : rows.claimDue(max)) {
        out.add(
            new OutboundMessage(
                m.id(),
                m.assemblyId(),
                m.destination(),
                m.text(),
                m.attemptsUsed(),
                "c-" + m.id()));
      }
      return out;
    }

    @Override
    public void markSubmitted(long messageId, Submission submission) {
      contextAtSubmitted.put(messageId, String.valueOf(MDC.get(SmsCorrelation.MDC_KEY)));
      rows.markSubmitted(messageId, submission);
    }

    @Override
    public void scheduleRetry(long messageId, Duration delay, String reason, int attemptsUsed) {
      rows.scheduleRetry(messageId, delay, reason, attemptsUsed);
    }

    @Override
    public void failPermanently(long messageId, String reason, int attemptsUsed) {
      rows.failPermanently(messageId, reason, attemptsUsed);
    }

    @Override
    public void markOutcomeUnknown(long messageId, Submission partial, String reason) {
      rows.markOutcomeUnknown(messageId, partial, reason);
    }
  }

  @Test
  void eachSubmitLogsUnderItsRowsIdAndNoIdOutlivesItsMessage() throws Exception {
    Logger dispatcherLog = (Logger) LoggerFactory.getLogger(OutboxDispatcher.class);
    Level before = dispatcherLog.getLevel();
    List<String[]> submitLines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage().contains(" submitted on ")) {
              submitLines.add(
                  new String[] {
                    e.getFormattedMessage(), e.getMDCPropertyMap().get(SmsCorrelation.MDC_KEY)
                  });
            }
          }
        };
    capture.start();
    dispatcherLog.setLevel(Level.INFO);
    dispatcherLog.addAppender(capture);
    try (var f = new Fixture()) {
      CorrelatedOutbox outbox = new CorrelatedOutbox(f.outbox);
      f.connector =
          SmppConnector.start(
              SmppConnectorConfig.of(Fixture.connection("mtn", f.smsc.port()).build())
                  .withDispatcher(Fixture.fastDispatcher()),
              new SmppPorts(outbox, f.outbox, f.outbox, f.inbound),
              f.registry);
      assertThat(f.connector.awaitBound(Duration.ofSeconds(10))).isTrue();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(f.outbox.add("ama", "23324400010" + i, "Receipt AMA-2026-00001" + i));
      }
      for (long id : ids) {
        Await.until("submitted " + id, WAIT, () -> f.outbox.row(id).status == Status.SUBMITTED);
      }
      Await.until("a line per submit", WAIT, () -> submitLines.size() >= ids.size());

      for (long id : ids) {
        assertThat(outbox.contextAtSubmitted.get(id)).isEqualTo("c-" + id);
        assertThat(submitLines)
            .filteredOn(line -> line[0].startsWith("Message " + id + " submitted on mtn"))
            .singleElement()
            .satisfies(line -> assertThat(line[1]).isEqualTo("c-" + id));
      }
      assertThat(outbox.contextAtClaim).isNotEmpty().containsOnly("null");
    } finally {
      dispatcherLog.detachAppender(capture);
      dispatcherLog.setLevel(before);
    }
  }
}
