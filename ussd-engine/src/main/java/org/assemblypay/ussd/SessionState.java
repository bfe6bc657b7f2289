package org.assemblypay.ussd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assemblypay.ussd.menu.Item;

/**
 * A session's position in the menu, stored as the session store's opaque payload (JSON). Mutable
 * working copy of one hop; {@link #copy()} before changing a loaded one.
 */
final class SessionState {
  public String screen = "";
  public int page;
  public List<String> stack = new ArrayList<>();
  public Map<String, String> vars = new LinkedHashMap<>();
  public List<Item> items = new ArrayList<>();
  public int invalidCount;
  public String consumedText = "";
  public String lastInput = "";
  public long lastSequence = -1;
  public long lastHopAtMillis;
  public String replyText = "";
  public boolean replyEnds;
  public boolean ended;
  public int hop;
  public String resumePayload;
  public String resumeSessionId;
  public String network = "";

  SessionState copy() {
    SessionState copy = new SessionState();
    copy.screen = screen;
    copy.page = page;
    copy.stack = new ArrayList<>(stack);
    copy.vars = new LinkedHashMap<>(vars);
    copy.items = new ArrayList<>(items);
    copy.invalidCount = invalidCount;
    copy.consumedText = consumedText;
    copy.lastInput = lastInput;
    copy.lastSequence = lastSequence;
    copy.lastHopAtMillis = lastHopAtMillis;
    copy.replyText = replyText;
    copy.replyEnds = replyEnds;
    copy.ended = ended;
    copy.hop = hop;
    copy.resumePayload = resumePayload;
    copy.resumeSessionId = resumeSessionId;
    copy.network = network;
    return copy;
  }
}
