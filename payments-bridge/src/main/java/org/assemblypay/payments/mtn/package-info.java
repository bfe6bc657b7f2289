/** MTN MoMo Open API (Collections) adapter: request-to-pay, status, callbacks, bearer tokens. */
package org.assemblypay.payments.mtn;
