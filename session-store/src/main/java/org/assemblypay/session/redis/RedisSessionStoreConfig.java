package org.assemblypay.session.redis;

import java.util.List;
import java.util.Objects;
import org.assemblypay.session.SessionStoreSettings;

/**
 * Where the Redis session store connects and how it names keys: one URL (standalone) or the seed
 * URLs of a Redis Cluster ({@code cluster = true}).
 */
public record RedisSessionStoreConfig(
    List<String> urls,
    boolean cluster,
    String keyPrefix,
    long commandTimeoutMillis,
    SessionStoreSettings settings,
    long connectTimeoutMillis,
    int connectAttempts) {

  /** Checks the fields. */
  public RedisSessionStoreConfig {
    urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one Redis URL is needed");
    }
    if (!cluster && urls.size() > 1) {
      throw new IllegalArgumentException("several URLs are only allowed for a cluster");
    }
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw new IllegalArgumentException("keyPrefix must be non-empty without braces");
    }
    if (commandTimeoutMillis < 1) {
      throw new IllegalArgumentException("commandTimeoutMillis must be >= 1");
    }
    Objects.requireNonNull(settings, "settings");
    if (connectTimeoutMillis < 1) {
      throw new IllegalArgumentException("connectTimeoutMillis must be >= 1");
    }
    if (connectAttempts < 1) {
      throw new IllegalArgumentException("connectAttempts must be >= 1");
    }
  }

  /** Default time for one attempt to connect and complete the handshake (5 s). */
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;

  /** Default number of attempts at start-up before giving up (4, with back-off in between). */
  public static final int DEFAULT_CONNECT_ATTEMPTS = 4;

  /**
   * A standalone Redis at {@code url} with prefix {@code ussd}, 1 s command timeout, 5 s connect
   * timeout, four connect attempts, defaults.
   */
  public static RedisSessionStoreConfig standalone(String url) {
    return new RedisSessionStoreConfig(
        List.of(url),
        false,
        "ussd",
        1000,
        SessionStoreSettings.DEFAULTS,
        DEFAULT_CONNECT_TIMEOUT_MILLIS,
        DEFAULT_CONNECT_ATTEMPTS);
  }

  /** A Redis Cluster reached through these seed URLs, otherwise like {@link #standalone}. */
  public static RedisSessionStoreConfig cluster(List<String> seedUrls) {
    return new RedisSessionStoreConfig(
        seedUrls,
        true,
        "ussd",
        1000,
        SessionStoreSettings.DEFAULTS,
        DEFAULT_CONNECT_TIMEOUT_MILLIS,
        DEFAULT_CONNECT_ATTEMPTS);
  }

  /** A copy with another key prefix (tests use a random one per run). */
  public RedisSessionStoreConfig withKeyPrefix(String prefix) {
    return new RedisSessionStoreConfig(
        urls,
        cluster,
        prefix,
        commandTimeoutMillis,
        settings,
        connectTimeoutMillis,
        connectAttempts);
  }

  /** A copy with other limits. */
  public RedisSessionStoreConfig withSettings(SessionStoreSettings newSettings) {
    return new RedisSessionStoreConfig(
        urls,
        cluster,
        keyPrefix,
        commandTimeoutMillis,
        newSettings,
        connectTimeoutMillis,
        connectAttempts);
  }

  /** A copy that connects with this timeout per attempt and this many attempts at start-up. */
  public RedisSessionStoreConfig withConnect(long timeoutMillis, int attempts) {
    return new RedisSessionStoreConfig(
        urls, cluster, keyPrefix, commandTimeoutMillis, settings, timeoutMillis, attempts);
  }
}
