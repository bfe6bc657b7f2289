/**
 * Declarative USSD menus: the YAML model ({@link org.assemblypay.ussd.menu.MenuDefinition}, loaded
 * by {@link org.assemblypay.ussd.menu.MenuLoader}), named Java actions ({@link
 * org.assemblypay.ussd.menu.MenuAction}) and translated texts ({@link
 * org.assemblypay.ussd.menu.Messages}). The {@code menus} module implements the actions and
 * supplies the texts.
 *
 * <p>A menu file:
 *
 * <pre>{@code
 * start: main                      # first screen
 * languages: [en, tw, ee, gaa, ha] # every text key must exist in each (MenuLint)
 * varMaxLengths: {name: 30, item: 40}  # worst-case lengths for the budget check (default 20)
 * screens:
 *   identify:                      # a router: action, no text; the action says where to go
 *     action: identify
 *     jumps: [main, ask_customer]  # where the action may go, for MenuLint's reachability
 *   main:
 *     text: main.title             # text key, rendered with {placeholders} from variables
 *     action: loadHome             # optional; runs on entry, may set variables, jump or end
 *     options:
 *       - {label: main.arrears, next: arrears}
 *   amount:
 *     text: pay.amount
 *     input: {var: amount, type: decimal, min: 1, max: 500, invalid: pay.amount.invalid}
 *     next: confirm                # type: digits | number | decimal | text; also minLength,
 *                                  # maxLength, pattern
 *   receipts:
 *     text: receipts.title
 *     action: receipts             # must return ActionResult.items(...); paginated by the engine
 *     list: {var: receipt, next: receipt_detail, empty: receipts.none}
 *   done:
 *     text: pay.done
 *     end: true                    # END screen
 * messages:                        # optional inline texts; the caller's Messages win
 *   en: {main.title: "Welcome {name}"}
 * }</pre>
 *
 * <p>The session variable {@code lang} selects the language; a chosen list item is stored as {@code
 * <var>} (its value) and {@code <var>_label}. The engine's own texts ({@code ussd.more}, {@code
 * ussd.back}, {@code ussd.invalid.choice}, {@code ussd.invalid.input}, {@code
 * ussd.invalid.too_many}, {@code ussd.deadline}, {@code ussd.busy}, {@code ussd.expired}, {@code
 * ussd.error}, {@code ussd.list.empty}, {@code ussd.resume}, {@code ussd.resume.continue}, {@code
 * ussd.resume.restart}) have English defaults and are translated through the same {@code Messages}.
 */
package org.assemblypay.ussd.menu;
