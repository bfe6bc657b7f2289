package org.assemblypay.smpp;

/** What a non-zero submit_sm_resp command_status does to the message and the bind. */
public enum ResponseAction {
  /** The SMSC is overloaded: pause the whole bind with back-off and resubmit, no attempt used. */
  PAUSE_BIND,
  /** A temporary error: submit again after a delay, up to the attempt limit. */
  RETRY,
  /** A permanent error: fail the message with the reason. */
  FAIL
}
