package org.assemblypay.payments;

/** Which adapter a {@link ProviderConfig} is for. */
public enum ProviderKind {
  /** MTN MoMo Open API, Collections product. */
  MTN_MOMO,
  /** Hubtel Direct Receive Money (MTN, Telecel Cash, AirtelTigo Money). */
  HUBTEL,
  /** The in-process simulator, for {@code demo} and tests. */
  SIMULATOR
}
