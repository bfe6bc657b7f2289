package org.assemblypay.session.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.assemblypay.session.LastSession;
import org.assemblypay.session.SaveResult;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.StoredSession;

/**
 * Session store on Redis or Redis Cluster through Lettuce's asynchronous API. Keys are {@code
 * <prefix>:{<sessionId>}} and {@code <prefix>:last:{<msisdn>}}; compare-and-set is one Lua script
 * per key, so it is atomic and Cluster-safe.
 */
public final class RedisSessionStore implements SessionStore {

  private static final LuaScript SAVE =
      new LuaScript(
          """
          local cur = redis.call('HGET', KEYS[1], 'v')
          local curv = 0
          if cur then curv = tonumber(cur) end
          if curv ~= tonumber(ARGV[1]) then return {0, curv} end
          local nv = curv + 1
          redis.call('HSET', KEYS[1], 'v', nv, 'm', ARGV[2], 'p', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return {1, nv}
          """);

  /**
   * SAVE, then (only if it applied) REMEMBER on the phone's key, in one script: one round trip and
   * the payload sent once. Standalone Redis only: in a Cluster the two keys live in other slots.
   */
  private static final LuaScript SAVE_AND_REMEMBER =
      new LuaScript(
          """
          local cur = redis.call('HGET', KEYS[1], 'v')
          local curv = 0
          if cur then curv = tonumber(cur) end
          if curv ~= tonumber(ARGV[1]) then return {0, curv} end
          local nv = curv + 1
          redis.call('HSET', KEYS[1], 'v', nv, 'm', ARGV[2], 'p', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[2], 's', ARGV[5], 'p', ARGV[3], 't', ARGV[6])
          redis.call('PEXPIRE', KEYS[2], ARGV[7])
          return {1, nv}
          """);

  private static final LuaScript REMEMBER =
      new LuaScript(
          """
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[1], 's', ARGV[1], 'p', ARGV[2], 't', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return 1
          """);

  private static final LuaScript FORGET =
      new LuaScript(
          """
          if redis.call('HGET', KEYS[1], 's') == ARGV[1] then
            return redis.call('DEL', KEYS[1])
          end
          return 0
          """);

  private final RedisSessionStoreConfig config;
  private final AutoCloseable connection;
  private final Runnable shutdown;
  private final RedisClusterAsyncCommands<String, String> commands;

  private RedisSessionStore(
      RedisSessionStoreConfig config,
      AutoCloseable connection,
      Runnable shutdown,
      RedisClusterAsyncCommands<String, String> commands) {
    this.config = config;
    this.connection = connection;
    this.shutdown = shutdown;
    this.commands = commands;
  }

  /** Connects (blocking, at start-up) to the standalone Redis or the Cluster in {@code config}. */
  public static RedisSessionStore connect(RedisSessionStoreConfig config) {
    Duration timeout = Duration.ofMillis(config.commandTimeoutMillis());
    List<RedisURI> uris =
        config.urls().stream()
            .map(
                url -> {
                  RedisURI uri = RedisURI.create(url);
                  uri.setTimeout(timeout);
                  return uri;
                })
            .toList();
    if (config.cluster()) {
      RedisClusterClient client = RedisClusterClient.create(uris);
      // Follow failovers and resharding: refresh the slot map on MOVED/ASK and reconnects, and
      // once a minute in any case.
      client.setOptions(
          ClusterClientOptions.builder()
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(60))
                      .enableAllAdaptiveRefreshTriggers()
                      .build())
              .build());
      StatefulRedisClusterConnection<String, String> connection = client.connect();
      connection.setTimeout(timeout);
      return new RedisSessionStore(config, connection, client::shutdown, connection.async());
    }
    RedisClient client = RedisClient.create(uris.get(0));
    StatefulRedisConnection<String, String> connection = client.connect();
    connection.setTimeout(timeout);
    return new RedisSessionStore(config, connection, client::shutdown, connection.async());
  }

  String sessionKey(String sessionId) {
    return config.keyPrefix() + ":{" + sessionId + "}";
  }

  String lastKey(String msisdn) {
    return config.keyPrefix() + ":last:{" + msisdn + "}";
  }

  @Override
  public CompletionStage<Optional<StoredSession>> load(String sessionId) {
    return commands
        .hgetall(sessionKey(sessionId))
        .thenApply(
            fields -> {
              String version = fields.get("v");
              if (version == null) {
                return Optional.empty();
              }
              return Optional.of(
                  new StoredSession(
                      sessionId, fields.get("m"), Long.parseLong(version), fields.get("p")));
            });
  }

  @Override
  public CompletionStage<SaveResult> save(SessionWrite write) {
    long ttlMillis = config.settings().ttlSeconds() * 1000;
    return SAVE.<List<Object>>run(
            commands,
            ScriptOutputType.MULTI,
            sessionKey(write.sessionId()),
            Long.toString(write.expectedVersion()),
            write.msisdn(),
            write.payload(),
            Long.toString(ttlMillis))
        .thenApply(
            reply -> {
              long applied = (Long) reply.get(0);
              long version = (Long) reply.get(1);
              return applied == 1
                  ? new SaveResult.Saved(version)
                  : new SaveResult.Conflict(version);
            });
  }

  @Override
  public CompletionStage<SaveResult> saveAndRemember(SessionWrite write, long savedAtEpochMillis) {
    if (config.cluster()) {
      return SessionStore.super.saveAndRemember(write, savedAtEpochMillis);
    }
    long ttlMillis = config.settings().ttlSeconds() * 1000;
    long windowMillis = config.settings().resumeWindowSeconds() * 1000;
    return SAVE_AND_REMEMBER
        .<List<Object>>runOn(
            commands,
            ScriptOutputType.MULTI,
            new String[] {sessionKey(write.sessionId()), lastKey(write.msisdn())},
            Long.toString(write.expectedVersion()),
            write.msisdn(),
            write.payload(),
            Long.toString(ttlMillis),
            write.sessionId(),
            Long.toString(savedAtEpochMillis),
            Long.toString(windowMillis))
        .thenApply(RedisSessionStore::saveResult);
  }

  private static SaveResult saveResult(List<Object> reply) {
    long applied = (Long) reply.get(0);
    long version = (Long) reply.get(1);
    return applied == 1 ? new SaveResult.Saved(version) : new SaveResult.Conflict(version);
  }

  @Override
  public CompletionStage<Void> delete(String sessionId) {
    return commands.del(sessionKey(sessionId)).thenApply(count -> null);
  }

  @Override
  public CompletionStage<Void> rememberLast(LastSession last) {
    long windowMillis = config.settings().resumeWindowSeconds() * 1000;
    return REMEMBER
        .<Long>run(
            commands,
            ScriptOutputType.INTEGER,
            lastKey(last.msisdn()),
            last.sessionId(),
            last.payload(),
            Long.toString(last.savedAtEpochMillis()),
            Long.toString(windowMillis))
        .thenApply(ok -> null);
  }

  @Override
  public CompletionStage<Optional<LastSession>> lastSession(String msisdn) {
    return commands
        .hgetall(lastKey(msisdn))
        .thenApply(
            (Map<String, String> fields) -> {
              String sessionId = fields.get("s");
              if (sessionId == null) {
                return Optional.empty();
              }
              return Optional.of(
                  new LastSession(
                      msisdn, sessionId, fields.get("p"), Long.parseLong(fields.get("t"))));
            });
  }

  @Override
  public CompletionStage<Void> forgetLast(String msisdn, String sessionId) {
    return FORGET
        .<Long>run(commands, ScriptOutputType.INTEGER, lastKey(msisdn), sessionId)
        .thenApply(count -> null);
  }

  @Override
  public CompletionStage<Void> ping() {
    return commands.ping().thenApply(pong -> null);
  }

  @Override
  public SessionStoreSettings settings() {
    return config.settings();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // Closing is best effort; the client shutdown below releases the sockets anyway.
    } finally {
      shutdown.run();
    }
  }
}
