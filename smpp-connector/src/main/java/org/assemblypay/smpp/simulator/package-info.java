/**
 * An SMSC simulator on jSMPP's server side, for tests, benchmarks and the demo's browser phone:
 * binds with credentials, submits answered with ids, delivery receipts, injected faults, MO
 * messages.
 */
package org.assemblypay.smpp.simulator;
