package org.assemblypay.smpp.encoding;

/**
 * One submit_sm worth of a message.
 *
 * @param sequence 1-based part number
 * @param total number of parts
 * @param shortMessage the octets to send (with the UDH in front when {@code udhi})
 * @param udhi whether {@code shortMessage} starts with a user data header
 */
public record SmsPart(int sequence, int total, byte[] shortMessage, boolean udhi) {}
