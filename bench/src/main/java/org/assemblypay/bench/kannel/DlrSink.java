package org.assemblypay.bench.kannel;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assemblypay.bench.CliOptions;

/**
 * An HTTP sink for Kannel's dlr-url callbacks on 127.0.0.1: counts them, prints the count and rate
 * once a second, and checks that a marked run's messages each got exactly one report.
 *
 * <p>Options: {@code --port 18091 --echo 0}. Callbacks are {@code GET /dlr?run=R&id=I&s=T} or
 * {@code /dlr?run=R&to=23324NNNNNNN&s=T} (id NNNNNNN), Kannel putting the report type in for {@code
 * %d}: 1 delivered, 2 failed, 8 SMSC ack, 16 SMSC reject. {@code --echo N} prints the first N
 * requests with their headers. {@code /mark?run=R&n=N} starts checking run R's ids 0..N-1 and
 * timing it; {@code /status} answers one line of counters and the mark's result. A Vert.x HTTP
 * server on one event loop (keep-alive, little CPU per callback), so that the sink takes as little
 * of this machine's two cores from Kannel as it can.
 */
public final class DlrSink {

  private final AtomicLong callbacks = new AtomicLong();
  private final int echo;
  private Mark mark;

  /** The run being checked: which of its ids were reported, how often, with which types. */
  private static final class Mark {
    final String run;
    final int n;
    final BitSet seen;
    final Map<String, Long> types = new TreeMap<>();
    long unique;
    long duplicates;
    long outOfRange;
    long firstMillis;
    long tenthMillis;
    long ninetiethMillis;
    long lastMillis;

    Mark(String run, int n) {
      this.run = run;
      this.n = n;
      this.seen = new BitSet(n);
    }

    String result() {
      String line =
          String.format(
              Locale.ROOT,
              "MARK run=%s n=%d unique=%d duplicates=%d out_of_range=%d types=%s",
              run,
              n,
              unique,
              duplicates,
              outOfRange,
              types);
      if (lastMillis != 0) {
        double seconds = (lastMillis - firstMillis) / 1e3;
        double middle = (ninetiethMillis - tenthMillis) / 1e3;
        line +=
            String.format(
                Locale.ROOT,
                " first=%d last=%d seconds=%.3f rate=%.0f/s rate_10_to_90pct=%.0f/s",
                firstMillis,
                lastMillis,
                seconds,
                n / Math.max(seconds, 1e-3),
                (0.8 * n) / Math.max(middle, 1e-3));
      }
      return line;
    }
  }

  private DlrSink(int echo) {
    this.echo = echo;
  }

  /** Starts the sink and prints a line a second until killed. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = CliOptions.parse(args);
    int port = Integer.parseInt(options.getOrDefault("port", "18091"));
    var sink = new DlrSink(Integer.parseInt(options.getOrDefault("echo", "0")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    vertx
        .createHttpServer(
            new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(1024))
        .requestHandler(sink::handle)
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.out.printf(
        Locale.ROOT,
        "DLR sink on 127.0.0.1:%d, %d CPUs, Java %s%n",
        port,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    long start = System.nanoTime();
    long last = 0;
    for (long second = 1; ; second++) {
      long wake = start + second * 1_000_000_000L;
      long sleep = wake - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
      }
      long now = sink.callbacks.get();
      System.out.printf(Locale.ROOT, "%6d s  callbacks %,10d  %,7d/s%n", second, now, now - last);
      last = now;
    }
  }

  private void handle(HttpServerRequest request) {
    if (callbacks.get() < echo) {
      System.out.println(
          request.method()
              + " "
              + request.uri()
              + " "
              + request.version()
              + " "
              + request.headers());
    }
    int code = 200;
    String reply = "";
    switch (request.path()) {
      case "/dlr" ->
          onReport(
              request.getParam("run"),
              request.getParam("id"),
              request.getParam("to"),
              request.getParam("s"));
      case "/mark" -> {
        try {
          Mark m =
              new Mark(request.getParam("run", ""), Integer.parseInt(request.getParam("n", "0")));
          synchronized (this) {
            mark = m;
          }
          reply = "marked\n";
        } catch (NumberFormatException e) {
          code = 400;
          reply = "n must be a whole number\n";
        }
      }
      case "/status" -> reply = status() + "\n";
      default -> {
        code = 404;
        reply = "unknown\n";
      }
    }
    request.response().setStatusCode(code).end(reply);
  }

  private synchronized void onReport(String run, String idParam, String to, String type) {
    callbacks.incrementAndGet();
    Mark m = mark;
    if (m == null || !m.run.equals(run)) {
      return;
    }
    m.types.merge(type == null ? "?" : type, 1L, Long::sum);
    int id = idOf(idParam, to);
    if (id < 0 || id >= m.n) {
      m.outOfRange++;
      return;
    }
    if (m.seen.get(id)) {
      m.duplicates++;
      return;
    }
    m.seen.set(id);
    m.unique++;
    long now = System.currentTimeMillis();
    if (m.unique == 1) {
      m.firstMillis = now;
    }
    if (m.unique == Math.max(1, m.n / 10)) {
      m.tenthMillis = now;
    }
    if (m.unique == Math.max(1, m.n - m.n / 10)) {
      m.ninetiethMillis = now;
    }
    if (m.unique == m.n) {
      m.lastMillis = now;
      System.out.println(m.result());
    }
  }

  /** The message's id: {@code id}, or the last 7 digits of {@code to} (23324 + 7 digits); -1. */
  private static int idOf(String id, String to) {
    try {
      if (id != null) {
        return Integer.parseInt(id);
      }
      return to != null && to.length() == 12 && to.startsWith("23324")
          ? Integer.parseInt(to.substring(5))
          : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private synchronized String status() {
    String line = "callbacks=" + callbacks.get();
    return mark == null ? line : line + "\n" + mark.result();
  }
}
