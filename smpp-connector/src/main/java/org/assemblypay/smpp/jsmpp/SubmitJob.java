package org.assemblypay.smpp.jsmpp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.smpp.OutboundMessage;
import org.assemblypay.smpp.Submission;
import org.assemblypay.smpp.encoding.EncodedSms;
import org.assemblypay.smpp.encoding.SmsPart;

/**
 * One outbound message on its way through a bind. Parts are submitted in rounds; a part that got an
 * id is never submitted again, so a throttled or failed part is resent alone with the same UDH.
 */
final class SubmitJob {

  final OutboundMessage message;
  final EncodedSms encoded;
  private final String[] partIds;
  private final String[] partSmscs;
  private final PartOutcome[] roundOutcomes;
  private final AtomicInteger outstanding = new AtomicInteger();
  private int attemptsUsed;
  private String lastConnection = "";

  SubmitJob(OutboundMessage message, EncodedSms encoded) {
    this.message = message;
    this.encoded = encoded;
    this.partIds = new String[encoded.parts().size()];
    this.partSmscs = new String[encoded.parts().size()];
    this.roundOutcomes = new PartOutcome[encoded.parts().size()];
    this.attemptsUsed = message.attemptsUsed();
  }

  /** Parts still without an SMSC id. */
  synchronized List<SmsPart> pendingParts() {
    var pending = new ArrayList<SmsPart>();
    for (SmsPart part : encoded.parts()) {
      if (partIds[part.sequence() - 1] == null) {
        pending.add(part);
      }
    }
    return pending;
  }

  synchronized void beginRound(int parts) {
    Arrays.fill(roundOutcomes, null);
    outstanding.set(parts);
  }

  /** Records a part's outcome; true when it was the last outstanding part of the round. */
  boolean record(int sequence, PartOutcome outcome) {
    synchronized (this) {
      roundOutcomes[sequence - 1] = outcome;
      if (outcome instanceof PartOutcome.Accepted accepted) {
        partIds[sequence - 1] = accepted.messageId();
        partSmscs[sequence - 1] = accepted.smsc();
      }
    }
    return outstanding.decrementAndGet() == 0;
  }

  /** The outcomes of the round just finished (null for parts not in it). */
  synchronized List<PartOutcome> roundOutcomes() {
    var outcomes = new ArrayList<PartOutcome>();
    for (PartOutcome outcome : roundOutcomes) {
      if (outcome != null) {
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  synchronized boolean complete() {
    for (String id : partIds) {
      if (id == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The parts that got an id so far, each with the SMSC identity of the connection that took it
   * (after a fail-over, parts of one message may carry different ones).
   */
  synchronized Submission submission(String connection, int attempts) {
    var ids = new ArrayList<String>();
    var smscs = new ArrayList<String>();
    for (int i = 0; i < partIds.length; i++) {
      if (partIds[i] != null) {
        ids.add(partIds[i]);
        smscs.add(partSmscs[i]);
      }
    }
    return new Submission(connection, ids, smscs, attempts);
  }

  synchronized boolean anySubmitted() {
    for (String id : partIds) {
      if (id != null) {
        return true;
      }
    }
    return false;
  }

  synchronized String lastConnection() {
    return lastConnection;
  }

  synchronized void lastConnection(String connection) {
    this.lastConnection = connection;
  }

  synchronized int attemptsUsed() {
    return attemptsUsed;
  }

  synchronized int countAttempt() {
    return ++attemptsUsed;
  }
}
