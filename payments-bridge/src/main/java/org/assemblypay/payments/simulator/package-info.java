/** An in-process mobile-money provider whose outcomes are chosen by the payer's number. */
package org.assemblypay.payments.simulator;
