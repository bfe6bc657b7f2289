/**
 * The payment lifecycle: {@link org.assemblypay.payments.lifecycle.PaymentService} persists a
 * payment intent before any provider call, sends the request asynchronously, treats callbacks as
 * hints confirmed with the provider's status query, polls payments whose callback never came, and
 * posts each success to the assembly's ledger exactly once.
 *
 * <p>Exactly-once rests on the ledger, not on this package: every state change is a ledger
 * transaction that locks the payment row and only moves forward, and settlement is idempotent on
 * provider + reference. What this package adds is speed and order (one confirmation per reference
 * at a time on a node) and bounds (worker queue, poll concurrency, early-hint memory).
 */
package org.assemblypay.payments.lifecycle;
