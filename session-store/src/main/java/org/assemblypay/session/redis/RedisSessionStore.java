package org.assemblypay.session.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
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
import org.assemblypay.session.SessionAndLast;
import org.assemblypay.session.SessionStore;
import org.assemblypay.session.SessionStoreSettings;
import org.assemblypay.session.SessionWrite;
import org.assemblypay.session.StoredSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session store on Redis or Redis Cluster through Lettuce's asynchronous API. Keys are {@code
 * <prefix>:{<sessionId>}} and {@code <prefix>:last:{<msisdn>}}; compare-and-set is one Lua script
 * per key, so it is atomic and Cluster-safe. On a standalone server the calls that touch both keys
 * (save and remember, save and forget, load with the last record) are one script each; on a
 * Cluster, where the two keys live in different slots, they are two calls.
 */
public final class RedisSessionStore implements SessionStore {
  private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

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

  /**
   * SAVE, then (only if it applied) FORGET on the phone's key for this session, in one script: the
   * hop that ends a session. Standalone Redis only, like {@link #SAVE_AND_REMEMBER} (D221).
   */
  static final LuaScript SAVE_AND_FORGET =
      new LuaScript(
          """
          local cur = redis.call('HGET', KEYS[1], 'v')
          local curv = 0
          if cur then curv = tonumber(cur) end
          if curv ~= tonumber(ARGV[1]) then return {0, curv} end
          local nv = curv + 1
          redis.call('HSET', KEYS[1], 'v', nv, 'm', ARGV[2], 'p', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          if redis.call('HGET', KEYS[2], 's') == ARGV[5] then
            redis.call('DEL', KEYS[2])
          end
          return {1, nv}
          """);

  /**
   * The session's hash and the phone's last-session hash in one read: the hop that may start a
   * session. Standalone Redis only (D221).
   */
  static final LuaScript LOAD_WITH_LAST =
      new LuaScript(
          """
          return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
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

  /**
   * Connects (blocking, at start-up) to the standalone Redis or the Cluster in {@code config}: each
   * attempt may take {@code connectTimeoutMillis} for the TCP connect and the handshake; failed
   * attempts are retried with a doubling pause (0.25 s, 0.5 s, 1 s, ... at most 5 s). Throws {@link
   * RedisUnavailableException}, with a one-line message, when every attempt failed.
   */
  public static RedisSessionStore connect(RedisSessionStoreConfig config) {
    return connect(config, RedisSessionStore::sleep);
  }

  /** What waits between attempts (tests pass one that does not sleep). */
  @FunctionalInterface
  interface Pause {
    void pause(long millis) throws InterruptedException;
  }

  static RedisSessionStore connect(RedisSessionStoreConfig config, Pause pause) {
    RuntimeException last = null;
    long wait = 250;
    for (int attempt = 1; attempt <= config.connectAttempts(); attempt++) {
      try {
        return connectOnce(config);
      } catch (RedisException e) {
        last = e;
        if (attempt < config.connectAttempts()) {
          log.warn(
              "Redis not reachable (attempt {} of {}): {}; retrying in {} ms",
              attempt,
              config.connectAttempts(),
              oneLine(e),
              wait);
          try {
            pause.pause(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            break;
          }
          wait = Math.min(wait * 2, 5_000);
        }
      }
    }
    throw new RedisUnavailableException(
        "cannot connect to the Redis session store at "
            + hosts(config)
            + " after "
            + config.connectAttempts()
            + " attempt(s) of up to "
            + config.connectTimeoutMillis()
            + " ms each: "
            + oneLine(last),
        last);
  }

  private static RedisSessionStore connectOnce(RedisSessionStoreConfig config) {
    Duration timeout = Duration.ofMillis(config.commandTimeoutMillis());
    // Lettuce runs the handshake (HELLO, AUTH, PING) with the URI's timeout: give it the connect
    // budget, then use the command timeout for every command afterwards.
    Duration connectTimeout = Duration.ofMillis(config.connectTimeoutMillis());
    Duration handshake = connectTimeout.compareTo(timeout) > 0 ? connectTimeout : timeout;
    SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).build();
    List<RedisURI> uris =
        config.urls().stream()
            .map(
                url -> {
                  RedisURI uri = RedisURI.create(url);
                  uri.setTimeout(handshake);
                  return uri;
                })
            .toList();
    if (config.cluster()) {
      RedisClusterClient client = RedisClusterClient.create(uris);
      // Follow failovers and resharding: refresh the slot map on MOVED/ASK and reconnects, and
      // once a minute in any case.
      client.setOptions(
          ClusterClientOptions.builder()
              .socketOptions(socket)
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(60))
                      .enableAllAdaptiveRefreshTriggers()
                      .build())
              .build());
      try {
        StatefulRedisClusterConnection<String, String> connection = client.connect();
        connection.setTimeout(timeout);
        return new RedisSessionStore(config, connection, client::shutdown, connection.async());
      } catch (RuntimeException e) {
        client.shutdown();
        throw e;
      }
    }
    RedisClient client = RedisClient.create(uris.get(0));
    client.setOptions(ClientOptions.builder().socketOptions(socket).build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      connection.setTimeout(timeout);
      return new RedisSessionStore(config, connection, client::shutdown, connection.async());
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /** host:port of each URL, never the password a URL may carry. */
  private static String hosts(RedisSessionStoreConfig config) {
    StringBuilder sb = new StringBuilder();
    for (String url : config.urls()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      try {
        RedisURI uri = RedisURI.create(url);
        sb.append(uri.getHost()).append(':').append(uri.getPort());
      } catch (RuntimeException e) {
        sb.append("(unparsable URL)");
      }
    }
    return sb.toString();
  }

  private static String oneLine(Throwable e) {
    if (e == null) {
      return "interrupted";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String s = e.getMessage() == null ? e.toString() : e.getMessage();
    if (root != e && root.getMessage() != null) {
      s = s + " (" + root.getMessage() + ")";
    }
    return s.lines().findFirst().orElse(s);
  }

  private static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
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
        .thenApply(fields -> storedSession(sessionId, fields));
  }

  @Override
  public CompletionStage<SessionAndLast> loadWithLast(String sessionId, String msisdn) {
    if (config.cluster()) {
      // The two keys hash to different slots: two reads, sent together.
      return SessionStore.super.loadWithLast(sessionId, msisdn);
    }
    return LOAD_WITH_LAST
        .<List<Object>>runOn(
            commands, ScriptOutputType.MULTI, new String[] {sessionKey(sessionId), lastKey(msisdn)})
        .thenApply(
            reply ->
                new SessionAndLast(
                    storedSession(sessionId, fields(reply.get(0))),
                    lastSession(msisdn, fields(reply.get(1)))));
  }

  /** A flat HGETALL reply from a script ({@code field, value, field, value ...}) as a map. */
  private static Map<String, String> fields(Object reply) {
    List<?> flat = (List<?>) reply;
    Map<String, String> fields = new java.util.HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return fields;
  }

  private static Optional<StoredSession> storedSession(
      String sessionId, Map<String, String> fields) {
    String version = fields.get("v");
    if (version == null) {
      return Optional.empty();
    }
    return Optional.of(
        new StoredSession(sessionId, fields.get("m"), Long.parseLong(version), fields.get("p")));
  }

  private static Optional<LastSession> lastSession(String msisdn, Map<String, String> fields) {
    String sessionId = fields.get("s");
    if (sessionId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new LastSession(msisdn, sessionId, fields.get("p"), Long.parseLong(fields.get("t"))));
  }

  @Override
  public CompletionStage<SaveResult> saveAndForget(SessionWrite write) {
    if (config.cluster()) {
      return SessionStore.super.saveAndForget(write);
    }
    long ttlMillis = config.settings().ttlSeconds() * 1000;
    return SAVE_AND_FORGET
        .<List<Object>>runOn(
            commands,
            ScriptOutputType.MULTI,
            new String[] {sessionKey(write.sessionId()), lastKey(write.msisdn())},
            Long.toString(write.expectedVersion()),
            write.msisdn(),
            write.payload(),
            Long.toString(ttlMillis),
            write.sessionId())
        .thenApply(RedisSessionStore::saveResult);
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
        .thenApply(RedisSessionStore::saveResult);
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
    return commands.hgetall(lastKey(msisdn)).thenApply(fields -> lastSession(msisdn, fields));
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
