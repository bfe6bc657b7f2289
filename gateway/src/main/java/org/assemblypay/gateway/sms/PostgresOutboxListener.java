package org.assemblypay.gateway.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens with PostgreSQL {@code LISTEN} on a dedicated connection per database and fires the
 * outbox wake-up when a notification arrives. Reconnects with back-off; fires once after every
 * (re)connect, since rows may have been added while it was not listening. Polling by the dispatcher
 * stays the safety net.
 */
final class PostgresOutboxListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresOutboxListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final long BACKOFF_MIN_MILLIS = 500;
  private static final long BACKOFF_MAX_MILLIS = 30_000;

  /** One database to listen on. */
  record Target(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      int q = jdbcUrl.indexOf('?');
      return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }
  }

  private final String channel;
  private final Runnable wakeUp;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Connection> open = new ArrayList<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final Counter notifications;
  private volatile boolean closed;

  PostgresOutboxListener(
      List<Target> targets, String channel, Runnable wakeUp, MeterRegistry registry) {
    this.channel = channel;
    this.wakeUp = wakeUp;
    this.notifications = registry.counter("sms.outbox.notifications");
    registry.gauge("sms.outbox.listeners.connected", connected);
    int n = 0;
    for (Target target : targets) {
      Thread t = new Thread(() -> run(target), "sms-outbox-listen-" + (++n));
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /** Connections listening now (for tests and health). */
  int connected() {
    return connected.get();
  }

  private void run(Target target) {
    long backoff = BACKOFF_MIN_MILLIS;
    while (!closed) {
      Connection connection = null;
      try {
        connection = connect(target);
        try (Statement s = connection.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        connected.incrementAndGet();
        backoff = BACKOFF_MIN_MILLIS;
        wakeUp.run();
        try {
          listen(connection.unwrap(PGConnection.class));
        } finally {
          connected.decrementAndGet();
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn("LISTEN on {} failed; retrying in {} ms: {}", target, backoff, e.toString());
        }
      } finally {
        close(connection);
      }
      sleep(backoff);
      backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
    }
  }

  private void listen(PGConnection pg) throws SQLException {
    while (!closed) {
      PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
      if (received != null && received.length > 0) {
        notifications.increment(received.length);
        wakeUp.run();
      }
    }
  }

  private Connection connect(Target target) throws SQLException {
    Properties p = new Properties();
    if (target.user() != null && !target.jdbcUrl().contains("user=")) {
      p.setProperty("user", target.user());
      if (target.password() != null) {
        p.setProperty("password", target.password());
      }
    }
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "assemblypay-outbox-listener");
    Connection c = DriverManager.getConnection(target.jdbcUrl(), p);
    synchronized (open) {
      if (closed) {
        c.close();
        throw new SQLException("listener closed");
      }
      open.add(c);
    }
    return c;
  }

  private void close(Connection connection) {
    if (connection == null) {
      return;
    }
    synchronized (open) {
      open.remove(connection);
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Already broken; nothing to release.
    }
  }

  private void sleep(long millis) {
    if (closed) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    synchronized (open) {
      for (Connection c : open) {
        try {
          c.close();
        } catch (SQLException e) {
          // Closing anyway.
        }
      }
      open.clear();
    }
  }
}
