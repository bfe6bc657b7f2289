package org.assemblypay.payments.simulator;

import java.util.Optional;
import org.assemblypay.payments.FailureReason;
import org.assemblypay.payments.Msisdn;

/**
 * What the simulator does for a payer, chosen by the last three digits of the number, in the spirit
 * of MTN's sandbox test numbers (the real sandbox differs; do not rely on it elsewhere).
 */
public enum SimulatorScenario {
  /** Any other ending: accepted, then successful, one callback. */
  SUCCESS("other", null),
  /** Ending 450: fails with INTERNAL_PROCESSING_ERROR. */
  FAILED("450", FailureReason.INTERNAL_PROCESSING_ERROR),
  /** Ending 451: the payer declines (APPROVAL_REJECTED). */
  REJECTED("451", FailureReason.APPROVAL_REJECTED),
  /** Ending 452: the first request times out and never took (status NotFound); a re-send works. */
  TIMEOUT_NOT_CREATED("452", null),
  /** Ending 453: the request times out but took; the status query finds it successful. */
  TIMEOUT_CREATED("453", null),
  /** Ending 454: pending forever, no callback. */
  PENDING_FOREVER("454", null),
  /** Ending 455: PAYER_NOT_FOUND. */
  PAYER_NOT_FOUND("455", FailureReason.PAYER_NOT_FOUND),
  /** Ending 456: NOT_ENOUGH_FUNDS. */
  NOT_ENOUGH_FUNDS("456", FailureReason.NOT_ENOUGH_FUNDS),
  /** Ending 457: the payer never answered (EXPIRED). */
  EXPIRED("457", FailureReason.EXPIRED),
  /** Ending 458: the request itself is refused (Rejected NOT_ALLOWED); nothing is created. */
  REQUEST_REFUSED("458", null),
  /** Ending 459: successful, but the callback never comes. */
  SUCCESS_NO_CALLBACK("459", null),
  /** Ending 460: successful, and the callback comes three times. */
  SUCCESS_DUPLICATE_CALLBACKS("460", null),
  /** Ending 461: successful, but the provider reports one pesewa less than requested. */
  SUCCESS_SHORT_AMOUNT("461", null);

  private final String ending;
  private final FailureReason failureReason;

  SimulatorScenario(String ending, FailureReason failureReason) {
    this.ending = ending;
    this.failureReason = failureReason;
  }

  /** The last three digits that select this scenario ("other" for {@link #SUCCESS}). */
  public String ending() {
    return ending;
  }

  /** The failure this scenario ends in, if it ends in one. */
  public Optional<FailureReason> failureReason() {
    return Optional.ofNullable(failureReason);
  }

  /** The scenario for a payer. */
  public static SimulatorScenario forPayer(Msisdn payer) {
    String digits = payer.digits();
    String last = digits.substring(digits.length() - 3);
    for (SimulatorScenario scenario : values()) {
      if (scenario.ending.equals(last)) {
        return scenario;
      }
    }
    return SUCCESS;
  }
}
