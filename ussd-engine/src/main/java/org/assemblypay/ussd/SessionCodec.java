package org.assemblypay.ussd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assemblypay.ussd.menu.Item;

/**
 * The compact text form of a {@link SessionState} (D192): {@code ~1} then each field in a fixed
 * order, strings as {@code <length>:<chars>} ({@code !} for null), numbers as {@code <digits>;},
 * flags as {@code T}/{@code F}, lists and maps as a count then their elements. A session is read
 * and written on every hop; this is several times cheaper than JSON and about half its size.
 * Payloads that start with <code>{</code> are the JSON form of earlier releases and are still read
 * (see {@link UssdEngine#parse}).
 */
final class SessionCodec {
  static final String MAGIC = "~1";

  private SessionCodec() {}

  static String encode(SessionState s) {
    StringBuilder b = new StringBuilder(256 + s.replyText.length());
    b.append(MAGIC);
    str(b, s.screen);
    num(b, s.page);
    num(b, s.stack.size());
    for (String screen : s.stack) {
      str(b, screen);
    }
    num(b, s.vars.size());
    for (Map.Entry<String, String> e : s.vars.entrySet()) {
      str(b, e.getKey());
      str(b, e.getValue());
    }
    num(b, s.items.size());
    for (Item item : s.items) {
      str(b, item.label());
      str(b, item.value());
    }
    num(b, s.invalidCount);
    str(b, s.consumedText);
    str(b, s.lastInput);
    num(b, s.lastSequence);
    num(b, s.lastHopAtMillis);
    str(b, s.replyText);
    b.append(s.replyEnds ? 'T' : 'F');
    b.append(s.ended ? 'T' : 'F');
    num(b, s.hop);
    str(b, s.resumePayload);
    str(b, s.resumeSessionId);
    str(b, s.network);
    return b.toString();
  }

  static boolean isCompact(String payload) {
    return payload.startsWith(MAGIC);
  }

  /** Reads a compact payload; throws {@link IllegalArgumentException} when it is not one. */
  static SessionState decode(String payload) {
    Reader r = new Reader(payload);
    r.expect(MAGIC);
    SessionState s = new SessionState();
    s.screen = r.str();
    s.page = r.integer();
    int stack = r.count();
    s.stack = new ArrayList<>(stack);
    for (int i = 0; i < stack; i++) {
      s.stack.add(r.str());
    }
    int vars = r.count();
    s.vars = new LinkedHashMap<>();
    for (int i = 0; i < vars; i++) {
      String key = r.str();
      s.vars.put(key, r.str());
    }
    int items = r.count();
    List<Item> list = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      String label = r.str();
      list.add(new Item(label, r.str()));
    }
    s.items = list;
    s.invalidCount = r.integer();
    s.consumedText = r.str();
    s.lastInput = r.str();
    s.lastSequence = r.number();
    s.lastHopAtMillis = r.number();
    s.replyText = r.str();
    s.replyEnds = r.flag();
    s.ended = r.flag();
    s.hop = r.integer();
    s.resumePayload = r.str();
    s.resumeSessionId = r.str();
    s.network = r.str();
    r.end();
    if (s.screen == null
        || s.consumedText == null
        || s.lastInput == null
        || s.replyText == null
        || s.network == null) {
      throw new IllegalArgumentException("required field missing");
    }
    return s;
  }

  private static void str(StringBuilder b, String value) {
    if (value == null) {
      b.append('!');
    } else {
      b.append(value.length()).append(':').append(value);
    }
  }

  private static void num(StringBuilder b, long value) {
    b.append(value).append(';');
  }

  /** A cursor over a compact payload. */
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    void expect(String prefix) {
      if (!text.startsWith(prefix, at)) {
        throw new IllegalArgumentException("not a compact session payload");
      }
      at += prefix.length();
    }

    String str() {
      if (at < text.length() && text.charAt(at) == '!') {
        at++;
        return null;
      }
      int length = (int) digits(':');
      if (length < 0 || at + length > text.length()) {
        throw new IllegalArgumentException("string runs past the payload");
      }
      String value = text.substring(at, at + length);
      at += length;
      return value;
    }

    long number() {
      return digits(';');
    }

    int integer() {
      return Math.toIntExact(number());
    }

    int count() {
      int n = integer();
      if (n < 0 || n > text.length()) {
        throw new IllegalArgumentException("bad count");
      }
      return n;
    }

    boolean flag() {
      if (at >= text.length()) {
        throw new IllegalArgumentException("payload ends early");
      }
      char c = text.charAt(at++);
      if (c == 'T') {
        return true;
      }
      if (c == 'F') {
        return false;
      }
      throw new IllegalArgumentException("bad flag");
    }

    void end() {
      if (at != text.length()) {
        throw new IllegalArgumentException("trailing characters");
      }
    }

    private long digits(char terminator) {
      int end = text.indexOf(terminator, at);
      if (end < 0 || end == at) {
        throw new IllegalArgumentException("number expected");
      }
      long value = Long.parseLong(text, at, end, 10);
      at = end + 1;
      return value;
    }
  }
}
