/** The in-memory session store: one node, bounded and expiring; the default for the demo. */
package org.assemblypay.session.memory;
