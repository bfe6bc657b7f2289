/** Mobile-money collections: the provider port, the payment lifecycle and posting to the ledger. */
package org.assemblypay.payments;
