/**
 * Per-assembly data and money: registry, traders, charges, the double-entry journal, receipts and
 * the SMS outbox.
 *
 * <p>Start at {@link org.assemblypay.ledger.Ledger#open}: it migrates the {@code control} schema
 * (the assembly registry). {@link org.assemblypay.ledger.Assemblies#register} creates and migrates
 * an assembly's schema ({@code asm_<code>}, in the main database or the assembly's own); {@link
 * org.assemblypay.ledger.Ledger#assembly} returns its {@link
 * org.assemblypay.ledger.AssemblyLedger}, the only door to that assembly's data.
 *
 * <p>Money rules live in the database as well as here: postings are append-only and may only be
 * added by the transaction that created their transfer; each transfer must sum to zero at commit;
 * account balances change only through postings (a trigger applies them, locking accounts in
 * descending id order); payment status only moves forward; receipt numbers come from a per-year row
 * held until commit, so they are gapless. Charges are a sub-ledger: accrual debits the trader's
 * account against revenue, payments credit it, and allocations record which charges a payment paid;
 * a trader's credit is always {@code open charges - account balance}.
 *
 * <p>The admin's reads (audit log, payments and a payment's timeline, arrears by market, collection
 * totals, the SMS outbox, USSD screen counts) are paged ({@link org.assemblypay.ledger.Page}) and
 * bounded by a {@link org.assemblypay.ledger.DateRange} of at most a year.
 */
package org.assemblypay.ledger;
