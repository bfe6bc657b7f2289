/**
 * SMS on a gateway node: the ledger adapters behind the SMPP connector's ports (every served
 * assembly's outbox claimed round-robin with {@code FOR UPDATE SKIP LOCKED}, delivery reports
 * matched by SMSC identity and normalised message id across assemblies (D230), inbound SMS stored
 * in the right assembly before the SMSC is answered and then handed to the command handler on a
 * bounded pool), a PostgreSQL {@code LISTEN} wake-up for the dispatcher, a recovery sweep that
 * re-sends messages whose outcome stayed unknown and re-handles stored inbound SMS whose handling
 * never finished, and in demo mode an in-process SMSC simulator with the browser phone's routes.
 * Entry class: {@link org.assemblypay.gateway.sms.SmsWiring}; configuration: {@link
 * org.assemblypay.gateway.sms.SmsConfig}.
 */
package org.assemblypay.gateway.sms;
