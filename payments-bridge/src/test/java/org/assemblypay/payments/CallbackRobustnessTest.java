package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every adapter refuses hostile callback bodies with a typed answer; nothing is thrown. */
class CallbackRobustnessTest {

  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor();

  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  private static final ProviderContext CONTEXT =
      new ProviderContext(
          MobileMoneyProviders.httpClient(Duration.ofSeconds(1)),
          METERS,
          InstantSource.fixed(Instant.EPOCH),
          SCHEDULER,
          (provider, headers, body) -> {});

  private static final List<MobileMoneyProvider> PROVIDERS =
      List.of(
          MobileMoneyProviders.create(
              TestProviders.mtn("http://127.0.0.1:1", 1_000, Map.of()), CONTEXT),
          MobileMoneyProviders.create(TestProviders.hubtel("http://127.0.0.1:1", 1_000), CONTEXT),
          MobileMoneyProviders.create(TestProviders.simulator(Map.of()), CONTEXT));

  @AfterAll
  static void stop() {
    SCHEDULER.shutdownNow();
  }

  static Stream<MobileMoneyProvider> providers() {
    return PROVIDERS.stream();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void malformedBodiesAreRefusedAsMalformed(MobileMoneyProvider provider) {
    for (byte[] body :
        List.of(
            new byte[0],
            utf8("not json"),
            utf8("{"),
            utf8("[1,2,3]"),
            utf8("\"a string\""),
            utf8("null"),
            utf8("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"),
            new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})) {
      CallbackParse parse = provider.parseCallback(Map.of(), body);

      assertThat(parse)
          .as(new String(body, StandardCharsets.UTF_8))
          .isInstanceOf(CallbackParse.Refused.class);
      assertThat(((CallbackParse.Refused) parse).refusal())
          .isEqualTo(CallbackParse.Refusal.MALFORMED);
    }
    assertThat(provider.parseCallback(Map.of(), null)).isInstanceOf(CallbackParse.Refused.class);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void wrongShapesAndForeignReferencesAreRefused(MobileMoneyProvider provider) {
    for (String body :
        List.of(
            "{}",
            "{\"referenceId\":42,\"externalId\":{},\"Data\":[]}",
            "{\"referenceId\":\"not-a-uuid\",\"externalId\":\"x\",\"Data\":{\"ClientReference\":7}}",
            "{\"referenceId\":\"" + UUID.nameUUIDFromBytes(new byte[] {1}) + "\"}")) {
      assertThat(provider.parseCallback(Map.of(), utf8(body)))
          .as(body)
          .isInstanceOf(CallbackParse.Refused.class);
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void bodiesOver16KibAreRefusedAsTooLarge(MobileMoneyProvider provider) {
    UUID reference = UUID.randomUUID();
    String prefix =
        "{\"referenceId\":\"" + reference + "\",\"externalId\":\"" + reference + "\",\"pad\":\"";
    String suffix = "\"}";
    String exactly16KiB =
        prefix
            + "x".repeat(BoundedJson.MAX_CALLBACK_BYTES - prefix.length() - suffix.length())
            + suffix;
    String oneOver =
        prefix
            + "x".repeat(BoundedJson.MAX_CALLBACK_BYTES + 1 - prefix.length() - suffix.length())
            + suffix;

    CallbackParse atLimit = provider.parseCallback(Map.of(), utf8(exactly16KiB));
    CallbackParse overLimit = provider.parseCallback(Map.of(), utf8(oneOver));

    assertThat(utf8(exactly16KiB)).hasSize(16 * 1024);
    assertThat(atLimit)
        .satisfiesAnyOf(
            parse -> assertThat(parse).isInstanceOf(CallbackParse.Hint.class),
            parse ->
                assertThat(((CallbackParse.Refused) parse).refusal())
                    .isNotEqualTo(CallbackParse.Refusal.TOO_LARGE));
    assertThat(overLimit)
        .isEqualTo(
            new CallbackParse.Refused(CallbackParse.Refusal.TOO_LARGE, "body of 16385 bytes"));
    assertThat(provider.parseCallback(Map.of(), new byte[10 * 1024 * 1024]))
        .isInstanceOf(CallbackParse.Refused.class);
  }

  @Property(tries = 300)
  void arbitraryBytesNeverThrow(@ForAll @Size(max = 512) byte[] body) {
    for (MobileMoneyProvider provider : PROVIDERS) {
      assertThat(provider.parseCallback(Map.of(), body)).isNotNull();
    }
  }
}
