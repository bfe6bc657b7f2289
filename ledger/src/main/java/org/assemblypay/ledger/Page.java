package org.assemblypay.ledger;

import java.util.List;

/** One page of a longer list: the items, where the page starts, its size and the full count. */
public record Page<T>(List<T> items, int offset, int limit, long total) {
  /** Copies the list. */
  public Page {
    items = List.copyOf(items);
  }

  /** The offset of the next page, or -1 when this is the last one. */
  public long nextOffset() {
    return offset + items.size() < total && !items.isEmpty() ? offset + items.size() : -1;
  }

  static void check(int offset, int limit, int maxLimit) {
    if (offset < 0 || offset > 1_000_000) {
      throw new InvalidInputException("offset must be 0..1000000");
    }
    if (limit < 1 || limit > maxLimit) {
      throw new InvalidInputException("limit must be 1.." + maxLimit);
    }
  }
}
