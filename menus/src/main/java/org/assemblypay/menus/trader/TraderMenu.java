package org.assemblypay.menus.trader;

import java.time.Clock;
import java.util.Map;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.menus.Translations;
import org.assemblypay.ussd.menu.MenuAction;
import org.assemblypay.ussd.menu.MenuDefinition;
import org.assemblypay.ussd.menu.MenuLoader;

/** The traders' USSD menu: its screens, its named actions and its texts, ready for the engine. */
public final class TraderMenu {
  /** Where the menu's screens are declared. */
  public static final String RESOURCE = "/menus/trader.yaml";

  private final MenuDefinition definition;
  private final Map<String, MenuAction> actions;
  private final Translations translations;

  private TraderMenu(
      MenuDefinition definition, Map<String, MenuAction> actions, Translations translations) {
    this.definition = definition;
    this.actions = actions;
    this.translations = translations;
  }

  /** Loads the menu and binds its actions to the ledger and the payment port. */
  public static TraderMenu create(
      Ledger ledger, PaymentRequests payments, Translations translations, Clock clock) {
    MenuDefinition definition = MenuLoader.loadResource(TraderMenu.class, RESOURCE);
    Map<String, MenuAction> actions =
        new TraderActions(ledger, payments, translations, clock).all();
    return new TraderMenu(definition, actions, translations);
  }

  public MenuDefinition definition() {
    return definition;
  }

  public Map<String, MenuAction> actions() {
    return actions;
  }

  public Translations translations() {
    return translations;
  }
}
