package org.assemblypay.smpp.encoding;

import java.util.List;
import org.assemblypay.smpp.ConcatenationMode;

/**
 * A message encoded and split for one connection.
 *
 * @param alphabet GSM-7 or UCS-2
 * @param mode how the parts are tied together (irrelevant for a single part)
 * @param reference the concatenation reference shared by the parts
 * @param segments how many SMS the handset receives (for PAYLOAD the SMSC splits one submit)
 * @param parts the submits to send: one for PAYLOAD or a short text, else one per segment
 */
public record EncodedSms(
    SmsAlphabet alphabet,
    ConcatenationMode mode,
    int reference,
    int segments,
    List<SmsPart> parts) {

  /** Copies the list. */
  public EncodedSms {
    parts = List.copyOf(parts);
  }

  /** Whether the single submit carries the whole text in message_payload. */
  public boolean usesPayloadTlv() {
    return mode == ConcatenationMode.PAYLOAD && segments > 1;
  }
}
