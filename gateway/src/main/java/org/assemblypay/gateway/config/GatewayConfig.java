package org.assemblypay.gateway.config;

import java.util.List;

/**
 * The whole configuration of one gateway node, as read from YAML with environment overrides.
 *
 * <p>Every bound has a default here, so a small file only names what differs. Values that have no
 * sensible default are marked {@link Required}.
 */
public record GatewayConfig(
    Http http,
    Database database,
    Sessions sessions,
    Ussd ussd,
    List<Aggregator> aggregators,
    Admin admin,
    org.assemblypay.gateway.payments.PaymentsConfig payments,
    org.assemblypay.gateway.sms.SmsConfig smsc,
    org.assemblypay.gateway.jobs.AccrualConfig accrual) {

  public GatewayConfig {
    http = http == null ? Http.defaults() : http;
    database = database == null ? new Database(null, null, null, 0, 0) : database;
    sessions = sessions == null ? Sessions.defaults() : sessions;
    ussd = ussd == null ? Ussd.defaults() : ussd;
    aggregators = aggregators == null ? List.of() : List.copyOf(aggregators);
    admin = admin == null ? Admin.defaults() : admin;
    payments =
        payments == null ? org.assemblypay.gateway.payments.PaymentsConfig.defaults() : payments;
    smsc = smsc == null ? org.assemblypay.gateway.sms.SmsConfig.defaults() : smsc;
    accrual = accrual == null ? org.assemblypay.gateway.jobs.AccrualConfig.defaults() : accrual;
  }

  /** HTTP server settings; {@code port} left out is 8080, {@code 0} picks a free port. */
  public record Http(Integer port, String host, int workerPoolSize, int maxBodyBytes)
      implements Validated {
    public Http {
      port = port == null ? 8080 : port;
      host = host == null ? "0.0.0.0" : host;
      workerPoolSize = workerPoolSize == 0 ? 16 : workerPoolSize;
      maxBodyBytes = maxBodyBytes == 0 ? 16 * 1024 : maxBodyBytes;
    }

    static Http defaults() {
      return new Http(null, null, 0, 0);
    }

    @Override
    public List<String> problems(String path) {
      return port < 0 || port > 65_535
          ? List.of(
              path + ".port must be between 0 and 65535, 0 picks a free port (got " + port + ")")
          : List.of();
    }
  }

  /** The main PostgreSQL database: the control schema and every assembly kept in a schema. */
  public record Database(
      @Required String url,
      String user,
      @Secret String password,
      int poolSize,
      int connectionTimeoutMillis) {
    public Database {
      poolSize = poolSize == 0 ? 10 : poolSize;
      connectionTimeoutMillis = connectionTimeoutMillis == 0 ? 5_000 : connectionTimeoutMillis;
    }
  }

  /**
   * Where USSD sessions live: {@code memory} for one node, {@code redis} for several. At start a
   * node tries {@code redisConnectAttempts} times (default 4, with back-off) to reach Redis, each
   * attempt allowed {@code redisConnectTimeoutMillis} (default 5,000) for connect and handshake.
   */
  public record Sessions(
      String store,
      @Secret String redisUrl,
      List<String> redisClusterSeeds,
      int ttlSeconds,
      int resumeWindowSeconds,
      int maxSessions,
      int redisConnectTimeoutMillis,
      int redisConnectAttempts)
      implements Validated {
    public Sessions {
      store = store == null ? "memory" : store;
      redisClusterSeeds = redisClusterSeeds == null ? List.of() : List.copyOf(redisClusterSeeds);
      ttlSeconds = ttlSeconds == 0 ? 180 : ttlSeconds;
      resumeWindowSeconds = resumeWindowSeconds == 0 ? 300 : resumeWindowSeconds;
      maxSessions = maxSessions == 0 ? 100_000 : maxSessions;
      redisConnectTimeoutMillis =
          redisConnectTimeoutMillis == 0 ? 5_000 : redisConnectTimeoutMillis;
      redisConnectAttempts = redisConnectAttempts == 0 ? 4 : redisConnectAttempts;
    }

    static Sessions defaults() {
      return new Sessions(null, null, null, 0, 0, 0, 0, 0);
    }

    @Override
    public List<String> problems(String path) {
      List<String> problems = new java.util.ArrayList<>();
      if (redisConnectTimeoutMillis < 1 || redisConnectTimeoutMillis > 120_000) {
        problems.add(
            path
                + ".redisConnectTimeoutMillis must be between 1 and 120000 (got "
                + redisConnectTimeoutMillis
                + ")");
      }
      if (redisConnectAttempts < 1 || redisConnectAttempts > 20) {
        problems.add(
            path
                + ".redisConnectAttempts must be between 1 and 20 (got "
                + redisConnectAttempts
                + ")");
      }
      return problems;
    }
  }

  /**
   * Engine-wide USSD limits. {@code maxHopsPerPhonePerMinute} is the per-phone hop limit (default
   * 30; a negative value turns it off); {@code maxRateLimitedPhones} bounds the phones it tracks at
   * once (default 100,000).
   */
  public record Ussd(
      int hopDeadlineMillis,
      int maxInvalidInputs,
      int maxHopsPerPhonePerMinute,
      int maxRateLimitedPhones) {
    public Ussd {
      hopDeadlineMillis = hopDeadlineMillis == 0 ? 2_000 : hopDeadlineMillis;
      maxInvalidInputs = maxInvalidInputs == 0 ? 3 : maxInvalidInputs;
      maxHopsPerPhonePerMinute =
          maxHopsPerPhonePerMinute == 0
              ? 30
              : maxHopsPerPhonePerMinute < 0 ? -1 : maxHopsPerPhonePerMinute;
      maxRateLimitedPhones = maxRateLimitedPhones == 0 ? 100_000 : maxRateLimitedPhones;
    }

    static Ussd defaults() {
      return new Ussd(0, 0, 0, 0);
    }
  }

  /**
   * One USSD aggregator route ({@code POST /ussd/{name}}): its dialect, how it proves who it is,
   * and its screen budget. Nalo and Arkesel send no service code, so {@code serviceCode} names it.
   * {@code secretQueryParam} names a query parameter that carries the shared secret instead of
   * {@code secretHeader}, for aggregators that cannot send custom headers (Africa's Talking).
   */
  public record Aggregator(
      @Required String name,
      @Required String dialect,
      @Secret String sharedSecret,
      String secretHeader,
      List<String> allowedSources,
      String serviceCode,
      int gsmScreenChars,
      int ucs2ScreenChars,
      int maxBodyBytes,
      String secretQueryParam) {
    public Aggregator {
      secretHeader = secretHeader == null ? "X-Ussd-Secret" : secretHeader;
      allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
      gsmScreenChars = gsmScreenChars == 0 ? 182 : gsmScreenChars;
      ucs2ScreenChars = ucs2ScreenChars == 0 ? 80 : ucs2ScreenChars;
      maxBodyBytes = maxBodyBytes == 0 ? 16 * 1024 : maxBodyBytes;
    }
  }

  /**
   * The admin API: who may call it (API keys stored as SHA-256 hashes, never the keys) and how
   * often.
   */
  public record Admin(double requestsPerSecond, int burst, List<Credential> credentials) {
    public Admin {
      requestsPerSecond = requestsPerSecond == 0 ? 20 : requestsPerSecond;
      burst = burst == 0 ? 40 : burst;
      credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }

    static Admin defaults() {
      return new Admin(0, 0, null);
    }
  }

  /**
   * One API credential: a name for the audit log, the SHA-256 (hex) of its key, a role
   * (platform-admin, assembly-admin, finance-officer, auditor) and an assembly code or {@code *}.
   */
  public record Credential(
      @Required String name,
      @Required @Secret String keySha256,
      @Required String role,
      @Required String assembly) {}
}
