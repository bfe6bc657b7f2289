/** Benchmarks of the payment lifecycle: settlements per second through the real path. */
package org.assemblypay.bench.payments;
