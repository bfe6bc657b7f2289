package org.assemblypay.ledger;

/** A registered tariff line with its id. */
public record RateLine(long id, NewRate rate) {}
