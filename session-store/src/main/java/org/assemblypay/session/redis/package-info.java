/**
 * The Redis session store (Lettuce, standalone or Cluster). Each key carries its session id or
 * phone number as a hash tag, so every script touches one slot.
 */
package org.assemblypay.session.redis;
