package org.assemblypay.smpp.jsmpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assemblypay.smpp.DeliveryState;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.SmppConnectorConfig;
import org.assemblypay.smpp.SmppPorts;
import org.assemblypay.smpp.encoding.SmsDecoder;
import org.assemblypay.smpp.jsmpp.InMemoryOutbox.Status;
import org.junit.jupiter.api.Test;

/**
 * The connector against an SMSC built on another library (Cloudhopper ch-smpp, Netty 3): binds,
 * concatenated submits, hex ids in responses with decimal ids in receipts, and an MO message.
 */
class CloudhopperInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void connector_works_against_a_cloudhopper_smsc() throws Exception {
    int port;
    try (var probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    var serverConfig = new SmppServerConfiguration();
    serverConfig.setHost("127.0.0.1");
    serverConfig.setPort(port);
    serverConfig.setSystemId("cloudhopper");
    serverConfig.setJmxEnabled(false);
    serverConfig.setReuseAddress(true);
    var submits = new CopyOnWriteArrayList<SubmitSm>();
    var session = new AtomicReference<SmppServerSession>();
    var ids = new AtomicLong(0xA0000);
    ExecutorService receipts = Executors.newSingleThreadExecutor();
    var server = new DefaultSmppServer(serverConfig, new Handler(submits, session, ids, receipts));
    server.start();
    var outbox = new InMemoryOutbox();
    var inbound = new RecordingInbound();
    try {
      var connection =
          Fixture.connection("cloudhopper", port)
              .messageIdFormats(MessageIdFormat.HEX, MessageIdFormat.DECIMAL)
              .build();
      try (var connector =
          SmppConnector.start(
              SmppConnectorConfig.of(connection).withDispatcher(Fixture.fastDispatcher()),
              new SmppPorts(outbox, outbox, outbox, inbound),
              new SimpleMeterRegistry())) {
        assertThat(connector.awaitBound(WAIT)).isTrue();
        String text = "Receipt AMA-2026-000200: GHS 5.00 for stall C7. Verify: 7QX2. ".repeat(3);
        long id = outbox.add("ama", "233244000020", text);
        Await.until("both receipts matched", WAIT, () -> outbox.row(id).reports.size() == 2);
        assertThat(outbox.row(id).status).isEqualTo(Status.SUBMITTED);
        assertThat(outbox.row(id).reports)
            .extracting(r -> r.state())
            .containsOnly(DeliveryState.DELIVERED);
        assertThat(submits).hasSize(2);
        // The window lets the parts overtake each other: put them back in UDH order.
        String[] parts = new String[2];
        for (SubmitSm submit : submits) {
          SmsDecoder.UserData userData =
              SmsDecoder.splitHeader(submit.getShortMessage(), (submit.getEsmClass() & 0x40) != 0);
          int sequence = userData.concat().orElseThrow().sequence();
          parts[sequence - 1] = SmsDecoder.decode(submit.getDataCoding(), userData.body());
        }
        assertThat(String.join("", parts)).isEqualTo(text);

        var mo = new DeliverSm();
        mo.setSourceAddress(new Address((byte) 1, (byte) 1, "233244123678"));
        mo.setDestAddress(new Address((byte) 0, (byte) 0, "1411"));
        mo.setShortMessage("CHECK 10023".getBytes(StandardCharsets.ISO_8859_1));
        session.get().sendRequestPdu(mo, 5_000, false);
        Await.until("MO stored", WAIT, () -> inbound.stored.size() == 1);
        assertThat(inbound.stored.get(0).text()).isEqualTo("CHECK 10023");
      }
    } finally {
      server.destroy();
      receipts.shutdownNow();
    }
  }

  /** Accepts one account, answers submits with hex ids and sends decimal-id receipts. */
  private static final class Handler implements SmppServerHandler {
    private final List<SubmitSm> submits;
    private final AtomicReference<SmppServerSession> session;
    private final AtomicLong ids;
    private final ExecutorService receipts;

    Handler(
        List<SubmitSm> submits,
        AtomicReference<SmppServerSession> session,
        AtomicLong ids,
        ExecutorService receipts) {
      this.submits = submits;
      this.session = session;
      this.ids = ids;
      this.receipts = receipts;
    }

    // Cloudhopper's interface uses raw generic types; the override must match them.
    @SuppressWarnings("rawtypes")
    @Override
    public void sessionBindRequested(
        Long sessionId, SmppSessionConfiguration configuration, BaseBind bindRequest)
        throws SmppProcessingException {
      if (!Fixture.SYSTEM_ID.equals(bindRequest.getSystemId())
          || !Fixture.PASSWORD.equals(bindRequest.getPassword())) {
        throw new SmppProcessingException(0x0E);
      }
    }

    @Override
    public void sessionCreated(
        Long sessionId, SmppServerSession serverSession, BaseBindResp preparedBindResponse) {
      session.set(serverSession);
      serverSession.serverReady(
          new DefaultSmppSessionHandler() {
            // Cloudhopper's listener method takes a raw PduRequest.
            @SuppressWarnings("rawtypes")
            @Override
            public PduResponse firePduRequestReceived(PduRequest request) {
              PduResponse response = request.createResponse();
              if (request instanceof SubmitSm submit) {
                submits.add(submit);
                long number = ids.incrementAndGet();
                ((SubmitSmResp) response).setMessageId(Long.toHexString(number));
                receipts.execute(() -> sendReceipt(serverSession, submit, number));
              }
              return response;
            }
          });
    }

    private static void sendReceipt(SmppServerSession serverSession, SubmitSm submit, long number) {
      try {
        Thread.sleep(20);
        var receipt = new DeliverSm();
        receipt.setSourceAddress(submit.getDestAddress());
        receipt.setDestAddress(submit.getSourceAddress());
        receipt.setEsmClass((byte) 0x04);
        receipt.setShortMessage(
            ("id:" + number + " sub:001 dlvrd:001 stat:DELIVRD err:000 text:")
                .getBytes(StandardCharsets.ISO_8859_1));
        serverSession.sendRequestPdu(receipt, 5_000, false);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void sessionDestroyed(Long sessionId, SmppServerSession serverSession) {
      serverSession.destroy();
    }
  }
}
