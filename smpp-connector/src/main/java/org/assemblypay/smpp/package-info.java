/**
 * SMPP messaging for the gateway: the ports the connector talks through ({@link
 * org.assemblypay.smpp.OutboxSource}, {@link org.assemblypay.smpp.OutboxSignal}, {@link
 * org.assemblypay.smpp.DeliveryReportSink}, {@link org.assemblypay.smpp.InboundSink}), their
 * records, and the configuration of SMSC connections and routes. The jSMPP implementation is in
 * {@code org.assemblypay.smpp.jsmpp}, the text encoding in {@code org.assemblypay.smpp.encoding},
 * receipt parsing in {@code org.assemblypay.smpp.receipt} and the SMSC simulator in {@code
 * org.assemblypay.smpp.simulator}. This module knows nothing of the ledger or the menus.
 */
package org.assemblypay.smpp;
