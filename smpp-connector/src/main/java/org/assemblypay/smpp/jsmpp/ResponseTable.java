package org.assemblypay.smpp.jsmpp;

import java.util.HashMap;
import java.util.Map;
import org.assemblypay.smpp.ResponseAction;

/**
 * The command_status → action table: throttling pauses the bind, a few temporary errors retry, all
 * else fails the message. Configuration may override any entry.
 */
final class ResponseTable {

  static final int ESME_RINVBNDSTS = 0x04;
  static final int ESME_RSYSERR = 0x08;
  static final int ESME_RMSGQFUL = 0x14;
  static final int ESME_RSUBMITFAIL = 0x45;
  static final int ESME_RTHROTTLED = 0x58;
  static final int ESME_RX_T_APPN = 0x64;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x01, "ESME_RINVMSGLEN"),
          Map.entry(0x02, "ESME_RINVCMDLEN"),
          Map.entry(0x03, "ESME_RINVCMDID"),
          Map.entry(ESME_RINVBNDSTS, "ESME_RINVBNDSTS"),
          Map.entry(0x05, "ESME_RALYBND"),
          Map.entry(0x06, "ESME_RINVPRTFLG"),
          Map.entry(0x07, "ESME_RINVREGDLVFLG"),
          Map.entry(ESME_RSYSERR, "ESME_RSYSERR"),
          Map.entry(0x0A, "ESME_RINVSRCADR"),
          Map.entry(0x0B, "ESME_RINVDSTADR"),
          Map.entry(0x0C, "ESME_RINVMSGID"),
          Map.entry(ESME_RMSGQFUL, "ESME_RMSGQFUL"),
          Map.entry(0x33, "ESME_RINVNUMDESTS"),
          Map.entry(ESME_RSUBMITFAIL, "ESME_RSUBMITFAIL"),
          Map.entry(0x48, "ESME_RINVSRCTON"),
          Map.entry(0x49, "ESME_RINVSRCNPI"),
          Map.entry(0x50, "ESME_RINVDSTTON"),
          Map.entry(0x51, "ESME_RINVDSTNPI"),
          Map.entry(ESME_RTHROTTLED, "ESME_RTHROTTLED"),
          Map.entry(ESME_RX_T_APPN, "ESME_RX_T_APPN"),
          Map.entry(0x66, "ESME_RX_R_APPN"));

  private final Map<Integer, ResponseAction> actions = new HashMap<>();

  ResponseTable(Map<Integer, ResponseAction> overrides) {
    actions.put(ESME_RTHROTTLED, ResponseAction.PAUSE_BIND);
    actions.put(ESME_RMSGQFUL, ResponseAction.PAUSE_BIND);
    actions.put(ESME_RSYSERR, ResponseAction.RETRY);
    actions.put(ESME_RINVBNDSTS, ResponseAction.RETRY);
    actions.put(ESME_RSUBMITFAIL, ResponseAction.RETRY);
    actions.put(ESME_RX_T_APPN, ResponseAction.RETRY);
    actions.putAll(overrides);
  }

  ResponseAction actionFor(int commandStatus) {
    return actions.getOrDefault(commandStatus, ResponseAction.FAIL);
  }

  /** E.g. {@code ESME_RTHROTTLED (0x58)}. */
  static String describe(int commandStatus) {
    return NAMES.getOrDefault(commandStatus, "command_status")
        + " (0x"
        + Integer.toHexString(commandStatus)
        + ")";
  }
}
