/**
 * Aggregator dialects: each turns one aggregator's HTTP request into a {@code UssdRequest} and a
 * {@code UssdReply} back into its HTTP answer, free of any HTTP framework. {@link
 * org.assemblypay.ussd.dialect.UssdFront} is what the gateway's {@code POST /ussd/{dialect}} route
 * calls.
 */
package org.assemblypay.ussd.dialect;
