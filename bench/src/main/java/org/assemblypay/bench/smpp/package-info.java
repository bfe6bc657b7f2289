/** Benchmarks of the SMPP connector against the project's SMSC simulator. */
package org.assemblypay.bench.smpp;
