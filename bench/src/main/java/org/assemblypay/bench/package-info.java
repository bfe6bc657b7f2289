/** Benchmarks and load generators whose figures go into docs/BENCHMARKS.md. */
package org.assemblypay.bench;
