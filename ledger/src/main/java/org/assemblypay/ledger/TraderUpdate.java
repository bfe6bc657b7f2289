package org.assemblypay.ledger;

/** New details for an existing trader (all fields replace the old ones). */
public record TraderUpdate(
    String name, String phone, String marketCode, String stall, String category) {}
