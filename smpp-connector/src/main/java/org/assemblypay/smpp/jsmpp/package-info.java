/**
 * The connector on jSMPP: binds with reconnects, window, rate limit and metrics; the outbox
 * dispatcher with its response table; delivery reports and inbound messages. Start it with {@link
 * org.assemblypay.smpp.jsmpp.SmppConnector#start}.
 */
package org.assemblypay.smpp.jsmpp;
