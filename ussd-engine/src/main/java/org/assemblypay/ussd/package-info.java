/**
 * The USSD menu-state machine: requests, replies, screens, navigation and rendering within the
 * budget.
 *
 * <p>Public face: {@link org.assemblypay.ussd.UssdEngine} (built with {@code
 * UssdEngine.builder()}), {@link org.assemblypay.ussd.UssdRequest} → {@link
 * org.assemblypay.ussd.UssdReply}, {@link org.assemblypay.ussd.Msisdn} (Ghanaian numbers only),
 * {@link org.assemblypay.ussd.ScreenBudget}, {@link org.assemblypay.ussd.EngineConfig}, {@link
 * org.assemblypay.ussd.EngineListener} (deadline missed → follow-up SMS) and {@link
 * org.assemblypay.ussd.MenuLint} (the {@code menus lint} checks). Aggregator wire formats live in
 * {@code .dialect}, the declarative menu model in {@code .menu}.
 *
 * <p>One hop: load the session (one store round trip; on a first hop the phone's last-session
 * record is read in parallel) → a repeat of the last hop replays the stored reply → the input is
 * applied ({@code 0} back or previous page, {@code 00} home, {@code 98} next page, a numbered
 * option or list item, or a validated free input) → entry actions run on the caller's executor
 * within the hop deadline → the screen is rendered within the budget → the session is saved with
 * compare-and-set (a lost race answers with the winner's reply).
 *
 * <p>Reserved inputs: {@code 0}, {@code 00} and {@code 98} are navigation on every screen (on input
 * screens {@code 0} and {@code 00} only); menus must not use them as values.
 */
package org.assemblypay.ussd;
