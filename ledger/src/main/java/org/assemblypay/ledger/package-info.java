/**
 * Per-assembly data and money: registry, traders, charges, the double-entry journal, receipts and
 * the SMS outbox.
 */
package org.assemblypay.ledger;
