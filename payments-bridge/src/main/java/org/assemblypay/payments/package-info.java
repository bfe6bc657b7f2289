/**
 * Mobile-money collections: the provider port ({@link
 * org.assemblypay.payments.MobileMoneyProvider}) and its value types, routing a payer to a provider
 * ({@link org.assemblypay.payments.ProviderRouter}), the retry table used by the poller ({@link
 * org.assemblypay.payments.RetryTable}) and provider metrics. Adapters live in {@code .mtn}, {@code
 * .hubtel} and {@code .simulator}; {@link org.assemblypay.payments.MobileMoneyProviders} builds one
 * from its {@link org.assemblypay.payments.ProviderConfig}.
 *
 * <p>The payment lifecycle (intent, asynchronous request, callbacks, poller, posting to the ledger)
 * is {@link org.assemblypay.payments.lifecycle.PaymentService}.
 *
 * <p>The port never decides what a payment is worth: a callback is only a hint naming a reference,
 * and only {@link org.assemblypay.payments.MobileMoneyProvider#status} is believed.
 */
package org.assemblypay.payments;
