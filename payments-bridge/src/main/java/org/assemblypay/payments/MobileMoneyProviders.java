package org.assemblypay.payments;

import java.net.http.HttpClient;
import java.time.Duration;
import org.assemblypay.payments.hubtel.HubtelReceiveMoneyProvider;
import org.assemblypay.payments.mtn.MtnMomoProvider;
import org.assemblypay.payments.simulator.SimulatorProvider;

/** Builds a provider adapter from its configuration: the one place that looks at the kind. */
public final class MobileMoneyProviders {

  private MobileMoneyProviders() {}

  /**
   * The adapter a configuration describes, behind a bound on calls in flight (setting {@code
   * maxInFlight}, default 256; gauge {@code payments.provider.in_flight}).
   */
  public static MobileMoneyProvider create(ProviderConfig config, ProviderContext context) {
    long maxInFlight = config.longSetting("maxInFlight", 256);
    if (maxInFlight < 1 || maxInFlight > 100_000) {
      throw new IllegalArgumentException(
          "provider " + config.name() + ": maxInFlight out of range");
    }
    return new InFlightLimited(adapter(config, context), (int) maxInFlight, context.meters());
  }

  private static MobileMoneyProvider adapter(ProviderConfig config, ProviderContext context) {
    switch (config.kind()) {
      case MTN_MOMO:
        return new MtnMomoProvider(config, context.http(), context.meters(), context.clock());
      case HUBTEL:
        return new HubtelReceiveMoneyProvider(config, context.http(), context.meters());
      case SIMULATOR:
        return new SimulatorProvider(
            config, context.clock(), context.scheduler(), context.callbackSink(), context.meters());
      default:
        throw new IllegalArgumentException("unknown provider kind " + config.kind());
    }
  }

  /**
   * An HTTP client for provider calls: HTTP/1.1 (predictable with provider gateways), the given
   * connect timeout, no redirects (a redirected payment request is a misconfiguration).
   */
  public static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
