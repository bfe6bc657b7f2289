package org.assemblypay.smpp;

/**
 * What to do when a submit_sm gets no response in time, so its outcome is unknown.
 *
 * <p>{@link #RESEND} submits again (at least once: the phone may get the SMS twice) up to the
 * attempt limit, then reports the outcome as unknown. {@link #AWAIT_REPORT} never resends (at most
 * once) and reports the outcome as unknown at once; a late delivery report cannot be matched
 * because no message id was received.
 */
public enum ResponseTimeoutPolicy {
  RESEND,
  AWAIT_REPORT
}
