/**
 * What traders and collectors read and type: USSD menus, SMS commands, receipt templates and
 * translations.
 */
package org.assemblypay.menus;
