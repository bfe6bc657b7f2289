/** Hubtel Direct Receive Money adapter: Telecel Cash, AirtelTigo Money and MTN via Hubtel. */
package org.assemblypay.payments.hubtel;
