package org.assemblypay.ledger;

import java.time.LocalDate;

/** Money received on one day from one market's traders, by channel. */
public record MarketCollections(
    long marketId,
    String marketName,
    LocalDate day,
    long mobileMoneyPesewas,
    long cashPesewas,
    int paymentCount) {}
