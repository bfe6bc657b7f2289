package org.assemblypay.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** One bounded HikariCP pool per distinct JDBC URL, shared by every assembly stored there. */
final class Pools implements AutoCloseable {
  private final LedgerSettings settings;
  private final Map<String, HikariDataSource> byUrl = new ConcurrentHashMap<>();

  Pools(LedgerSettings settings) {
    this.settings = settings;
  }

  DataSource forUrl(String jdbcUrl) {
    return byUrl.computeIfAbsent(jdbcUrl, this::create);
  }

  private HikariDataSource create(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    // A URL that names its own user keeps it; otherwise the main credentials apply.
    if (!jdbcUrl.contains("user=") && settings.user() != null) {
      config.setUsername(settings.user());
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(settings.maxPoolSizePerDatabase());
    config.setMinimumIdle(Math.min(2, settings.maxPoolSizePerDatabase()));
    config.setConnectionTimeout(10_000);
    config.setPoolName("ledger-" + byUrl.size());
    return new HikariDataSource(config);
  }

  int poolCount() {
    return byUrl.size();
  }

  @Override
  public void close() {
    byUrl.values().forEach(HikariDataSource::close);
    byUrl.clear();
  }
}
