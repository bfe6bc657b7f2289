package org.assemblypay.smpp;

/** The state of one SMSC connection as seen by health checks and metrics. */
public enum BindState {
  CONNECTING,
  BOUND,
  /** Bound but paused after the SMSC asked us to slow down (throttled or queue full). */
  PAUSED,
  DISCONNECTED,
  CLOSED;

  /** Numeric value for the bind-state gauge: 1 bound, 0.5 paused, 0 otherwise. */
  public double gaugeValue() {
    return switch (this) {
      case BOUND -> 1.0;
      case PAUSED -> 0.5;
      case CONNECTING, DISCONNECTED, CLOSED -> 0.0;
    };
  }
}
