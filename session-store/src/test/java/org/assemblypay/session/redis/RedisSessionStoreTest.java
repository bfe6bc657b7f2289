package org.assemblypay.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import org.assemblypay.session.LastSession;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreContract;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.testing.TestRedis;
import org.junit.jupiter.api.Test;

class RedisSessionStoreTest extends SessionStoreContract {

  private final String prefix = TestRedis.randomKeyPrefix();

  @Override
  protected SessionStore newStore(SessionStoreSettings settings) {
    return RedisSessionStore.connect(
        RedisSessionStoreConfig.standalone(TestRedis.url())
            .withKeyPrefix(prefix)
            .withSettings(settings));
  }

  @Override
  protected void passTime(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Test
  void keysCarryTheSessionIdAsAClusterHashTag() {
    RedisSessionStore store = (RedisSessionStore) store();
    assertThat(store.sessionKey("abc")).isEqualTo(prefix + ":{abc}");
    assertThat(SlotHash.getSlot(store.sessionKey("abc"))).isEqualTo(SlotHash.getSlot("abc"));
    assertThat(SlotHash.getSlot(store.lastKey("233244000001")))
        .isEqualTo(SlotHash.getSlot("233244000001"));
  }

  @Test
  void keysExpireInRedisItself() {
    SessionStore store = store();
    await(store.save(new SessionWrite("ttl-check", "233244000001", 0, "x")));
    await(store.rememberLast(new LastSession("233244000001", "ttl-check", "x", 1)));
    RedisClient client = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      long sessionTtl = connection.sync().pttl(prefix + ":{ttl-check}");
      long lastTtl = connection.sync().pttl(prefix + ":last:{233244000001}");
      assertThat(sessionTtl).isBetween(1L, 180_000L);
      assertThat(lastTtl).isBetween(180_001L, 300_000L);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void theCombinedCallsAreOneScriptEachOnAStandaloneServer() {
    SessionStore store = store();
    RedisClient client = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().scriptFlush();
      await(store.loadWithLast("one-trip", "233244000009"));
      await(store.saveAndForget(new SessionWrite("one-trip", "233244000009", 0, "end")));
      // Each ran as its own script (the two-call default would have left neither in the cache).
      assertThat(
              connection
                  .sync()
                  .scriptExists(
                      RedisSessionStore.LOAD_WITH_LAST.sha1(),
                      RedisSessionStore.SAVE_AND_FORGET.sha1()))
          .containsExactly(true, true);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void scriptsAreReloadedAfterTheServerForgetsThem() {
    SessionStore store = store();
    await(store.save(new SessionWrite("flush-check", "233244000001", 0, "x")));
    RedisClient client = RedisClient.create(TestRedis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().scriptFlush();
    } finally {
      client.shutdown();
    }
    await(store.save(new SessionWrite("flush-check", "233244000001", 1, "y")));
    assertThat(await(store.load("flush-check")).orElseThrow().version()).isEqualTo(2);
  }
}
