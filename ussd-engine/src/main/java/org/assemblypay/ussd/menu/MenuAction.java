package org.assemblypay.ussd.menu;

/**
 * A named piece of Java behind a screen, run when the screen is entered. It runs on the caller's
 * bounded executor, may block (JDBC), and must finish within the hop deadline.
 */
@FunctionalInterface
public interface MenuAction {

  /** Computes what the screen shows or where the menu goes next. */
  ActionResult run(ActionContext context) throws Exception;
}
