/** SMPP messaging: outbound and inbound ports, binds, windowing, encoding and delivery receipts. */
package org.assemblypay.smpp;
