/** Scheduled background work every node runs, shared between nodes through PostgreSQL locks. */
package org.assemblypay.gateway.jobs;
