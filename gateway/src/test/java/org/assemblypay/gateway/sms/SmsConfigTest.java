package org.assemblypay.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.assemblypay.gateway.config.ConfigException;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.smpp.BindMode;
import org.assemblypay.smpp.ConcatenationMode;
import org.assemblypay.smpp.DispatcherSettings;
import org.assemblypay.smpp.MessageIdFormat;
import org.assemblypay.smpp.ResponseTimeoutPolicy;
import org.junit.jupiter.api.Test;

/** The {@code smsc} section as an operator writes it. */
class SmsConfigTest {

  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  @Test
  void aSmallSectionGetsTheDefaultsAndNamesOnlyWhatDiffers() throws Exception {
    SmsConfig config =
        yaml.readValue(
            """
            connections:
              - name: mtn
                host: smsc.mtn.example
                systemId: assemblypay
                password: from-the-environment
                windowSize: 20
                messagesPerSecond: 100
                concatenation: SAR
                submitRespIdFormat: HEX
                receiptIdFormat: DECIMAL
              - name: telecel
                host: smsc.telecel.example
                port: 3700
                systemId: ap
                bindMode: TRANSMITTER_AND_RECEIVER
            routes:
              - prefix: "23320"
                connections: [telecel, mtn]
              - connections: [mtn, telecel]
            inboundNumbers:
              - number: "1411"
                assembly: KMA
            dispatcher:
              timeoutPolicy: AWAIT_REPORT
            recovery:
              unknownQuietSeconds: 600
              unknownMaxResends: -1
            """,
            SmsConfig.class);

    SmsConfig.Connection mtn = config.connections().get(0);
    assertThat(mtn.port()).isEqualTo(2775);
    assertThat(mtn.windowSize()).isEqualTo(20);
    assertThat(mtn.bindMode()).isEqualTo(BindMode.TRANSCEIVER);
    assertThat(mtn.concatenation()).isEqualTo(ConcatenationMode.SAR);
    assertThat(mtn.submitRespIdFormat()).isEqualTo(MessageIdFormat.HEX);
    assertThat(mtn.toString()).doesNotContain("from-the-environment");
    SmsConfig.Connection telecel = config.connections().get(1);
    assertThat(telecel.messagesPerSecond()).isEqualTo(50);
    assertThat(telecel.bindMode()).isEqualTo(BindMode.TRANSMITTER_AND_RECEIVER);
    assertThat(config.routes().get(0).assembly()).isEqualTo("*");
    assertThat(config.routes().get(1).prefix()).isEmpty();
    assertThat(config.inboundNumbers().get(0).assembly()).isEqualTo("KMA");
    assertThat(config.notifyChannel()).isEqualTo("sms_outbox");
    DispatcherSettings settings = config.dispatcher().toSettings();
    assertThat(settings.timeoutPolicy()).isEqualTo(ResponseTimeoutPolicy.AWAIT_REPORT);
    assertThat(settings.maxAttempts()).isEqualTo(DispatcherSettings.defaults().maxAttempts());
    assertThat(config.recovery().unknownQuietSeconds()).isEqualTo(600);
    assertThat(config.recovery().unknownMaxResends()).isZero();
    assertThat(config.recovery().inboundLeaseSeconds()).isEqualTo(120);
    assertThat(config.recovery().inboundMaxHandlings()).isEqualTo(5);
    assertThat(SmsConfig.defaults().recovery().unknownMaxResends()).isEqualTo(1);
  }

  @Test
  void theSmscIdentityDefaultsToTheAccountAndAddressAndCanBeNamed() throws Exception {
    SmsConfig config =
        yaml.readValue(
            """
            connections:
              - name: mtn-tx
                host: SMSC.MTN.example
                systemId: AssemblyPay
                bindMode: TRANSMITTER_AND_RECEIVER
              - name: mtn-2
                host: smsc.mtn.example
                systemId: assemblypay
              - name: mtn-dr
                host: 10.1.2.3
                port: 2776
                systemId: assemblypay
                smsc: mtn-gh
              - name: mtn-main
                host: smsc.mtn.example
                systemId: assemblypay
                smsc: mtn-gh
            """,
            SmsConfig.class);
    var connections = config.connections();
    // Binds of one account on one address share the default; a named one is used as written.
    assertThat(connections.get(0).smsc()).isNull();
    assertThat(connections.get(0).smscIdentity()).isEqualTo("assemblypay@smsc.mtn.example:2775");
    assertThat(connections.get(1).smscIdentity()).isEqualTo(connections.get(0).smscIdentity());
    assertThat(connections.get(2).smscIdentity()).isEqualTo("mtn-gh");
    assertThat(connections.get(3).smscIdentity()).isEqualTo("mtn-gh");
    assertThat(connections.get(2).toString()).contains("smsc=mtn-gh");
  }

  @Test
  void aBlankOrTooLongSmscIdentityIsRefusedAtStart() {
    String file =
        """
        database:
          url: jdbc:postgresql://db/gw
        smsc:
          connections:
            - name: mtn
              host: smsc.mtn.example
              systemId: ap
              smsc: "%s"
        """;
    for (String bad : new String[] {" ", "x".repeat(101)}) {
      assertThatThrownBy(() -> new ConfigLoader(java.util.Map.of()).loadText(file.formatted(bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("smsc.connections[].smsc must be 1..100 characters");
    }
    var fromEnv =
        new ConfigLoader(java.util.Map.of("GATEWAY_SMSC_CONNECTIONS_0_SMSC", "telecel-gh"))
            .loadText(file.formatted("mtn-gh"));
    assertThat(fromEnv.smsc().connections().get(0).smscIdentity()).isEqualTo("telecel-gh");
  }
}
