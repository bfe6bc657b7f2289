/** Kannel as a reference point: its dlr-url sink and sendsms load injector (bench/reference). */
package org.assemblypay.bench.kannel;
