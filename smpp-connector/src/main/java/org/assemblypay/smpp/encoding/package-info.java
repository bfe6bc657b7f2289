/** SMS text encoding: GSM 03.38 (with its extension table) and UCS-2, splitting and UDH. */
package org.assemblypay.smpp.encoding;
