package org.assemblypay.gateway.sms;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.assemblypay.ledger.ActiveStatus;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.Ledger;

/**
 * The assemblies this node sends and receives SMS for, read from the registry and cached for a
 * bounded time so the outbox poller does not read the registry on every claim.
 */
final class ServedAssemblies {

  /** One reading of the registry. */
  record Snapshot(List<Assembly> all, List<String> activeCodes, long loadedAtNanos) {}

  private final Ledger ledger;
  private final Set<String> only;
  private final long refreshNanos;
  private volatile Snapshot snapshot;

  ServedAssemblies(Ledger ledger, List<String> servedCodes, long refreshMillis) {
    this.ledger = ledger;
    this.only =
        servedCodes.stream()
            .map(c -> c.trim().toUpperCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.refreshNanos = refreshMillis * 1_000_000L;
  }

  /**
   * Every served assembly, active or suspended (delivery reports still apply to suspended ones).
   */
  List<Assembly> all() {
    return current().all();
  }

  /** Codes of the served assemblies that are active, in registry order. */
  List<String> activeCodes() {
    return current().activeCodes();
  }

  /** A served assembly by code. */
  Optional<Assembly> find(String code) {
    return all().stream().filter(a -> a.code().equalsIgnoreCase(code)).findFirst();
  }

  /** Forgets the cached list; the next call reads the registry. */
  void invalidate() {
    snapshot = null;
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s != null && System.nanoTime() - s.loadedAtNanos() < refreshNanos) {
      return s;
    }
    synchronized (this) {
      s = snapshot;
      if (s != null && System.nanoTime() - s.loadedAtNanos() < refreshNanos) {
        return s;
      }
      try {
        List<Assembly> all =
            ledger.assemblies().list().stream()
                .filter(a -> only.isEmpty() || only.contains(a.code()))
                .toList();
        List<String> active =
            all.stream()
                .filter(a -> a.status() == ActiveStatus.ACTIVE)
                .map(Assembly::code)
                .toList();
        s = new Snapshot(all, active, System.nanoTime());
        snapshot = s;
        return s;
      } catch (RuntimeException e) {
        if (s != null) {
          // The registry is unreachable: keep serving the last list rather than nothing.
          return s;
        }
        throw e;
      }
    }
  }
}
