package org.assemblypay.gateway.sms;

import static org.assemblypay.gateway.sms.SmsTestBed.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** LISTEN/NOTIFY on a real PostgreSQL, including losing the listening connection. */
class OutboxListenerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aNotificationWakesTheDispatcherAndTheListenerSurvivesLosingItsConnection() throws Exception {
    TestDatabase db = TestDatabase.get();
    String channel = TestDatabase.uniqueAssemblyCode("l").toLowerCase(Locale.ROOT);
    AtomicInteger wakeUps = new AtomicInteger();
    try (var listener =
        new PostgresOutboxListener(
            List.of(new PostgresOutboxListener.Target(db.jdbcUrl(), db.user(), db.password())),
            channel,
            wakeUps::incrementAndGet,
            new SimpleMeterRegistry())) {
      await("listening", WAIT, () -> listener.connected() == 1);
      await("the wake-up after connecting", WAIT, () -> wakeUps.get() >= 1);
      int before = wakeUps.get();
      notify(db, channel);
      await("the wake-up after NOTIFY", WAIT, () -> wakeUps.get() > before);

      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "select pg_terminate_backend(pid) from pg_stat_activity"
                      + " where application_name = 'assemblypay-outbox-listener'"
                      + " and pid <> pg_backend_pid() and query like '%"
                      + channel
                      + "%'")) {
        while (r.next()) {
          // Terminating.
        }
      }
      await("listening again", WAIT, () -> listener.connected() == 1 && wakeUps.get() > before + 1);
      int afterReconnect = wakeUps.get();
      notify(db, channel);
      await(
          "the wake-up after NOTIFY on the new connection",
          WAIT,
          () -> wakeUps.get() > afterReconnect);
    }
  }

  private static void notify(TestDatabase db, String channel) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("NOTIFY " + channel);
    }
  }
}
