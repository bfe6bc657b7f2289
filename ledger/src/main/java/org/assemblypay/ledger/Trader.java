package org.assemblypay.ledger;

/** A registered trader (or lorry driver); {@code phone} is an MSISDN like 233244123456. */
public record Trader(
    long id,
    String customerNumber,
    String name,
    String phone,
    long marketId,
    String marketName,
    String stall,
    String category,
    Language language,
    ActiveStatus status) {}
