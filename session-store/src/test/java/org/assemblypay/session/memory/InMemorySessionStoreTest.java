package org.assemblypay.session.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.assemblypay.session.SaveResult;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreContract;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest extends SessionStoreContract {

  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Override
  protected SessionStore newStore(SessionStoreSettings settings) {
    return new InMemorySessionStore(settings, clock, registry);
  }

  @Override
  protected void passTime(Duration duration) {
    clock.now = clock.now.plus(duration);
  }

  @Test
  void refusesNewSessionsAtCapacityButKeepsServingLiveOnes() {
    SessionStore store = store(SessionStoreSettings.DEFAULTS.withMaxSessions(2));
    assertThat(await(store.save(new SessionWrite("a", "233244000001", 0, "a"))))
        .isEqualTo(new SaveResult.Saved(1));
    assertThat(await(store.save(new SessionWrite("b", "233244000002", 0, "b"))))
        .isEqualTo(new SaveResult.Saved(1));
    assertThat(await(store.save(new SessionWrite("c", "233244000003", 0, "c"))))
        .isEqualTo(new SaveResult.CapacityExceeded(2));
    assertThat(await(store.save(new SessionWrite("a", "233244000001", 1, "a2"))))
        .isEqualTo(new SaveResult.Saved(2));
    assertThat(registry.get("ussd.session.store.size").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("ussd.session.store.capacity").gauge().value()).isEqualTo(2.0);
  }

  @Test
  void expiredSessionsFreeCapacity() {
    SessionStore store = store(SessionStoreSettings.DEFAULTS.withMaxSessions(1).withTtlSeconds(5));
    await(store.save(new SessionWrite("a", "233244000001", 0, "a")));
    passTime(Duration.ofSeconds(6));
    assertThat(await(store.save(new SessionWrite("b", "233244000002", 0, "b"))))
        .isEqualTo(new SaveResult.Saved(1));
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
