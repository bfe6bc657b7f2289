/**
 * USSD session state: the {@code SessionStore} port and its records; adapters live in sub-packages.
 */
package org.assemblypay.session;
