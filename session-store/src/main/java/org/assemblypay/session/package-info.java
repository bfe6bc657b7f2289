/**
 * USSD session state: the {@link org.assemblypay.session.SessionStore} port and its records;
 * adapters live in sub-packages ({@code memory} for a single node, {@code redis} for several).
 *
 * <p>The store keeps an opaque payload per session with a version for compare-and-set, a TTL, and a
 * last-session record per phone number for resuming a dropped session. It knows nothing about menus
 * or money.
 */
package org.assemblypay.session;
