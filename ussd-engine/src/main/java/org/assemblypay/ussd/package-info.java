/**
 * The USSD menu-state machine: requests, replies, screens, navigation and rendering within the
 * budget.
 */
package org.assemblypay.ussd;
