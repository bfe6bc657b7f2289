package org.assemblypay.ledger;

/** What an officer (or the CSV import) supplies to register a trader; phone may be local (024…). */
public record NewTrader(
    String customerNumber,
    String name,
    String phone,
    String marketCode,
    String stall,
    String category,
    Language language) {}
