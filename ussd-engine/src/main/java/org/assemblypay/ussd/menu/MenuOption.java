package org.assemblypay.ussd.menu;

/** A numbered option: the text key of its label and the screen it leads to. */
public record MenuOption(String label, String next) {}
