package org.assemblypay.ussd;

/**
 * Where one saved hop moved a session: from the screen the input answered ({@code null} when the
 * hop started the session) to the screen now shown, and whether that screen ended the session.
 */
public record ScreenHop(String serviceCode, String fromScreen, String screen, boolean ended) {}
