/** The composition root: configuration, wiring, HTTP routes, admin API and the command line. */
package org.assemblypay.gateway;
