package org.assemblypay.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreContract;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.testing.TestRedis;
import org.assemblypay.session.testing.TestRedisCluster;
import org.junit.jupiter.api.Test;

/** The same contract on a real three-master Redis Cluster. */
class RedisClusterSessionStoreTest extends SessionStoreContract {

  private final String prefix = TestRedis.randomKeyPrefix();

  @Override
  protected SessionStore newStore(SessionStoreSettings settings) {
    return RedisSessionStore.connect(
        RedisSessionStoreConfig.cluster(TestRedisCluster.seedUrls())
            .withKeyPrefix(prefix)
            .withSettings(settings));
  }

  @Override
  protected void passTime(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Test
  void sessionsSpreadOverSlotsAndEachCompareAndSetStaysInOne() {
    SessionStore store = store();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String id = "spread-" + i;
      slots.add(SlotHash.getSlot(((RedisSessionStore) store).sessionKey(id)));
      assertThat(await(store.save(new SessionWrite(id, "233244000001", 0, "p" + i))))
          .isEqualTo(new org.assemblypay.session.SaveResult.Saved(1));
      assertThat(await(store.save(new SessionWrite(id, "233244000001", 1, "q" + i))))
          .isEqualTo(new org.assemblypay.session.SaveResult.Saved(2));
    }
    // 50 sessions over 16384 slots land on more than one of the three masters.
    assertThat(slots.stream().map(slot -> slot * 3 / 16384).distinct().count()).isGreaterThan(1);
  }
}
