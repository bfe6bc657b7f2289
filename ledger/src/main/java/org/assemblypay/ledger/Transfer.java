package org.assemblypay.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A journal transfer and its postings (which sum to zero). */
public record Transfer(
    long id,
    String idempotencyKey,
    String kind,
    long amountPesewas,
    Optional<Long> reversesTransferId,
    Instant createdAt,
    List<Posting> postings) {
  /** Copies the list. */
  public Transfer {
    postings = List.copyOf(postings);
  }

  /** One leg: debit positive, credit negative. */
  public record Posting(long accountId, String accountCode, long amountPesewas) {}
}
