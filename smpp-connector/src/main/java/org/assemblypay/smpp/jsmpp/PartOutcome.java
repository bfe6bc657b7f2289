package org.assemblypay.smpp.jsmpp;

/** What happened to one submit_sm. */
sealed interface PartOutcome {

  /**
   * The SMSC accepted the part and gave it this (normalised) id, in the namespace of the SMSC
   * identity {@code smsc} of the connection that took it.
   */
  record Accepted(String messageId, String smsc) implements PartOutcome {}

  /** The SMSC answered with a non-zero command_status. */
  record Rejected(int commandStatus) implements PartOutcome {}

  /** No response in time: the SMSC may or may not have the part. */
  record TimedOut(String detail) implements PartOutcome {}

  /** Nothing reached the SMSC (session closed, write failed). */
  record NotSent(String detail) implements PartOutcome {}

  /** jSMPP refused to build the PDU (a field too long or malformed). */
  record Invalid(String detail) implements PartOutcome {}
}
