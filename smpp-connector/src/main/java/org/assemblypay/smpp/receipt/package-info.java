/** Delivery receipts: a tolerant parser of the receipt text and message id normalisation. */
package org.assemblypay.smpp.receipt;
