package org.assemblypay.ussd.menu;

/**
 * A list screen: the chosen item's value is stored in {@code var} (its label in {@code var_label}),
 * then the engine goes to {@code next}; {@code empty} is the text key shown (as END) when the
 * action returns no items.
 */
public record ListSpec(String var, String next, String empty) {}
