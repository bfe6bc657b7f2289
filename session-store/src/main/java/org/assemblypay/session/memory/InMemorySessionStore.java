package org.assemblypay.session.memory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.assemblypay.session.LastSession;
import org.assemblypay.session.SaveResult;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.StoredSession;

/**
 * A single-node session store in a bounded map; entries expire after the TTL and new sessions are
 * refused (not evicted) once {@code maxSessions} live ones are held.
 */
public final class InMemorySessionStore implements SessionStore {

  /** How many writes between sweeps of expired entries. */
  private static final int SWEEP_EVERY_WRITES = 1024;

  private record Entry(StoredSession session, long expiresAtMillis) {}

  private record LastEntry(LastSession last, long expiresAtMillis) {}

  private final SessionStoreSettings settings;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LastEntry> lasts = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();

  /** A store with the given limits and clock; registers size and capacity gauges. */
  public InMemorySessionStore(SessionStoreSettings settings, Clock clock, MeterRegistry registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    Gauge.builder("ussd.session.store.size", sessions, ConcurrentHashMap::size)
        .description("Sessions held in memory (expired ones until swept)")
        .tag("store", "memory")
        .register(registry);
    Gauge.builder("ussd.session.store.capacity", settings, SessionStoreSettings::maxSessions)
        .description("Maximum sessions held in memory")
        .tag("store", "memory")
        .register(registry);
    Gauge.builder("ussd.session.store.last.size", lasts, ConcurrentHashMap::size)
        .description("Last-session records held in memory for resume")
        .tag("store", "memory")
        .register(registry);
  }

  @Override
  public CompletionStage<Optional<StoredSession>> load(String sessionId) {
    Entry entry = sessions.get(sessionId);
    long now = clock.millis();
    if (entry == null || entry.expiresAtMillis() <= now) {
      if (entry != null) {
        sessions.remove(sessionId, entry);
      }
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(entry.session()));
  }

  @Override
  public CompletionStage<SaveResult> save(SessionWrite write) {
    long now = clock.millis();
    maybeSweep(now);
    if (write.expectedVersion() == 0 && sessions.size() >= settings.maxSessions()) {
      sweep(now);
      if (sessions.size() >= settings.maxSessions()) {
        return CompletableFuture.completedFuture(
            new SaveResult.CapacityExceeded(settings.maxSessions()));
      }
    }
    SaveResult[] result = new SaveResult[1];
    sessions.compute(
        write.sessionId(),
        (id, current) -> {
          long currentVersion =
              current == null || current.expiresAtMillis() <= now ? 0 : current.session().version();
          if (currentVersion != write.expectedVersion()) {
            result[0] = new SaveResult.Conflict(currentVersion);
            return currentVersion == 0 ? null : current;
          }
          long version = currentVersion + 1;
          result[0] = new SaveResult.Saved(version);
          return new Entry(
              new StoredSession(id, write.msisdn(), version, write.payload()),
              now + settings.ttlSeconds() * 1000);
        });
    return CompletableFuture.completedFuture(result[0]);
  }

  @Override
  public CompletionStage<Void> delete(String sessionId) {
    sessions.remove(sessionId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> rememberLast(LastSession last) {
    long now = clock.millis();
    if (!lasts.containsKey(last.msisdn()) && lasts.size() >= settings.maxSessions()) {
      sweep(now);
      if (lasts.size() >= settings.maxSessions()) {
        // Resume is a convenience: at capacity it is skipped rather than failing the hop.
        return CompletableFuture.completedFuture(null);
      }
    }
    lasts.put(last.msisdn(), new LastEntry(last, now + settings.resumeWindowSeconds() * 1000));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<LastSession>> lastSession(String msisdn) {
    LastEntry entry = lasts.get(msisdn);
    if (entry == null || entry.expiresAtMillis() <= clock.millis()) {
      if (entry != null) {
        lasts.remove(msisdn, entry);
      }
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(entry.last()));
  }

  @Override
  public CompletionStage<Void> forgetLast(String msisdn, String sessionId) {
    lasts.computeIfPresent(
        msisdn, (key, entry) -> entry.last().sessionId().equals(sessionId) ? null : entry);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> ping() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public SessionStoreSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    sessions.clear();
    lasts.clear();
  }

  private void maybeSweep(long now) {
    if (writes.incrementAndGet() % SWEEP_EVERY_WRITES == 0) {
      sweep(now);
    }
  }

  private void sweep(long now) {
    sessions.values().removeIf(entry -> entry.expiresAtMillis() <= now);
    lasts.values().removeIf(entry -> entry.expiresAtMillis() <= now);
  }
}
