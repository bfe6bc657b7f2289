package org.assemblypay.gateway.admin;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reversal requests waiting for a second officer, held in this node's memory (bounded, expiring).
 * The ledger has no table for them yet; see docs/DECISIONS.md.
 */
final class PendingReversals {
  /** A request: which payment transfer, why, and who asked. */
  record Request(
      UUID id,
      String assembly,
      long transferId,
      String reason,
      String requestedBy,
      Instant requestedAt) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", id.toString())
          .put("transferId", transferId)
          .put("reason", reason)
          .put("requestedBy", requestedBy)
          .put("requestedAt", requestedAt.toString())
          .put("status", "PENDING");
    }
  }

  private final int max;
  private final Duration ttl;
  private final Clock clock;
  private final Map<UUID, Request> requests = new LinkedHashMap<>();

  PendingReversals(int max, Duration ttl, Clock clock) {
    this.max = max;
    this.ttl = ttl;
    this.clock = clock;
  }

  synchronized Request add(String assembly, long transferId, String reason, String requestedBy) {
    expire();
    for (Request r : requests.values()) {
      if (r.assembly().equals(assembly) && r.transferId() == transferId) {
        throw new ApiProblem(
            409,
            "reversal_already_requested",
            "A reversal of this transfer is already waiting for approval.",
            new JsonObject().put("requestId", r.id().toString()));
      }
    }
    if (requests.size() >= max) {
      throw new ApiProblem(
          503, "too_many_pending_reversals", "Too many reversals are waiting for approval.");
    }
    Request r =
        new Request(UUID.randomUUID(), assembly, transferId, reason, requestedBy, clock.instant());
    requests.put(r.id(), r);
    return r;
  }

  synchronized Optional<Request> find(String assembly, UUID id) {
    expire();
    return Optional.ofNullable(requests.get(id)).filter(r -> r.assembly().equals(assembly));
  }

  synchronized List<Request> list(String assembly) {
    expire();
    List<Request> out = new ArrayList<>();
    for (Request r : requests.values()) {
      if (r.assembly().equals(assembly)) {
        out.add(r);
      }
    }
    return out;
  }

  synchronized void remove(UUID id) {
    requests.remove(id);
  }

  synchronized int size() {
    return requests.size();
  }

  private void expire() {
    Instant oldest = clock.instant().minus(ttl);
    for (Iterator<Request> it = requests.values().iterator(); it.hasNext(); ) {
      if (it.next().requestedAt().isBefore(oldest)) {
        it.remove();
      }
    }
  }
}
