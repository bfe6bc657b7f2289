package org.assemblypay.bench.smpp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.assemblypay.bench.CliOptions;
import org.assemblypay.smpp.simulator.SimulatorConfig;
import org.assemblypay.smpp.simulator.SmscSimulator;

/**
 * The project's SMSC simulator as a process of its own, for SMPP clients other than our connector
 * (e.g. Kannel, bench/reference/kannel). Prints once a second the submit_sm accepted so far and per
 * second, and the deliver_sm (receipts) the client accepted, until killed.
 *
 * <p>Options (all optional): {@code --port 27750 --control-port 27751 --system-id kannel --password
 * kannel --report-delay-ms 10 --processors 8 --queue 10000 --deliver-window 32 --listen}. Without
 * {@code --listen} it does not listen on the SMPP port until told to. The control port (HTTP on
 * 127.0.0.1) answers {@code /listen} (listen, or listen again after a kill), {@code /kill} (stop
 * listening and drop every connection), {@code /mark?n=N} (time the next N submits and N
 * deliveries: the first one after the mark and the N-th) and {@code /status} (one line of counters,
 * then the mark's result once complete). The defaults are those of the end-to-end benchmark's
 * simulators: receipts 10 ms after the submit_sm_resp, 8 jSMPP workers, up to 32 receipts awaiting
 * their deliver_sm_resp.
 */
public final class SimulatorServer {

  private final SimulatorConfig config;
  private volatile SmscSimulator smsc;
  private volatile Mark mark;

  /** One timed batch: counters at the mark, and when its first and N-th submit/delivery came. */
  private static final class Mark {
    final long n;
    final long submitsBase;
    final long deliveredBase;
    volatile long firstSubmitMillis;
    volatile long lastSubmitMillis;
    volatile long firstDeliveredMillis;
    volatile long lastDeliveredMillis;

    Mark(long n, long submitsBase, long deliveredBase) {
      this.n = n;
      this.submitsBase = submitsBase;
      this.deliveredBase = deliveredBase;
    }

    String result() {
      if (lastSubmitMillis == 0) {
        return "MARK n=" + n + " pending";
      }
      double submitSeconds = (lastSubmitMillis - firstSubmitMillis) / 1e3;
      String line =
          String.format(
              Locale.ROOT,
              "MARK n=%d submits first=%d last=%d seconds=%.3f rate=%.0f/s",
              n,
              firstSubmitMillis,
              lastSubmitMillis,
              submitSeconds,
              n / Math.max(submitSeconds, 1e-3));
      if (lastDeliveredMillis != 0) {
        double deliverSeconds = (lastDeliveredMillis - firstSubmitMillis) / 1e3;
        line +=
            String.format(
                Locale.ROOT,
                " deliveries last=%d seconds_from_first_submit=%.3f rate=%.0f/s",
                lastDeliveredMillis,
                deliverSeconds,
                n / Math.max(deliverSeconds, 1e-3));
      }
      return line;
    }
  }

  private SimulatorServer(SimulatorConfig config) {
    this.config = config;
  }

  /** Starts the simulator (listening at once with --listen) and its control port. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = CliOptions.parse(args);
    int port = Integer.parseInt(options.getOrDefault("port", "27750"));
    int controlPort = Integer.parseInt(options.getOrDefault("control-port", "27751"));
    String systemId = options.getOrDefault("system-id", "kannel");
    String password = options.getOrDefault("password", "kannel");
    long reportDelay = Long.parseLong(options.getOrDefault("report-delay-ms", "10"));
    int processors = Integer.parseInt(options.getOrDefault("processors", "8"));
    int queue = Integer.parseInt(options.getOrDefault("queue", "10000"));
    int deliverWindow = Integer.parseInt(options.getOrDefault("deliver-window", "32"));
    SimulatorConfig config =
        SimulatorConfig.defaults(systemId, password)
            .withPort(port)
            .withCapacity(processors, queue, 1)
            .withDelays(reportDelay, 200)
            .withDeliverWindow(deliverWindow);
    var server = new SimulatorServer(config);
    System.out.printf(
        Locale.ROOT,
        "SMSC simulator: port %d, control %d, account %s, receipts after %d ms, %d workers,"
            + " queue %d, deliver window %d, %d CPUs, Java %s%n",
        port,
        controlPort,
        systemId,
        reportDelay,
        processors,
        queue,
        deliverWindow,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    server.control(controlPort);
    if (options.containsKey("listen")) {
      server.listen();
    }
    server.watch();
  }

  private synchronized void listen() throws IOException {
    if (smsc == null) {
      smsc = SmscSimulator.start(config);
    } else {
      smsc.restart();
    }
    System.out.println("listening on 127.0.0.1:" + smsc.port());
  }

  private synchronized void kill() throws IOException {
    if (smsc != null) {
      smsc.kill();
      System.out.println("killed: not listening, connections dropped");
    }
  }

  private long submits() {
    SmscSimulator s = smsc;
    return s == null ? 0 : s.acceptedSubmits();
  }

  private long delivered() {
    SmscSimulator s = smsc;
    return s == null ? 0 : s.deliveredToEsme();
  }

  private String status() {
    SmscSimulator s = smsc;
    String line =
        String.format(
            Locale.ROOT,
            "submits=%d delivered=%d negative=%d deliver_rejections=%d binds=%d bound=%d",
            submits(),
            delivered(),
            s == null ? 0 : s.negativeResponses(),
            s == null ? 0 : s.deliverRejections(),
            s == null ? 0 : s.bindCount(),
            s == null ? 0 : s.boundSessions());
    Mark m = mark;
    return m == null ? line : line + "\n" + m.result();
  }

  private void control(int controlPort) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 16);
    http.createContext(
        "/",
        exchange -> {
          String reply;
          int code = 200;
          try {
            URI uri = exchange.getRequestURI();
            switch (uri.getPath()) {
              case "/listen" -> {
                listen();
                reply = "listening";
              }
              case "/kill" -> {
                kill();
                reply = "killed";
              }
              case "/mark" -> {
                List<String> values =
                    new QueryStringDecoder(uri).parameters().getOrDefault("n", List.of("0"));
                long n = Long.parseLong(values.get(0));
                Mark m = new Mark(n, submits(), delivered());
                mark = m;
                reply = "marked n=" + n + " submits_base=" + m.submitsBase;
              }
              case "/status" -> reply = status();
              default -> {
                code = 404;
                reply = "unknown";
              }
            }
          } catch (NumberFormatException e) {
            code = 400;
            reply = "n must be a whole number";
          } catch (IOException | RuntimeException e) {
            code = 500;
            reply = e.toString();
          }
          respond(exchange, code, reply);
        });
    http.start();
  }

  private static void respond(HttpExchange exchange, int code, String reply) throws IOException {
    byte[] body = (reply + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Polls the counters every 5 ms to time marks; prints a line a second. */
  private void watch() {
    long start = System.nanoTime();
    long nextPrint = start + 1_000_000_000L;
    long lastSubmits = 0;
    long lastDelivered = 0;
    while (true) {
      LockSupport.parkNanos(5_000_000L);
      long submits = submits();
      long delivered = delivered();
      Mark m = mark;
      if (m != null) {
        long now = System.currentTimeMillis();
        if (m.firstSubmitMillis == 0 && submits > m.submitsBase) {
          m.firstSubmitMillis = now;
        }
        if (m.lastSubmitMillis == 0 && submits >= m.submitsBase + m.n) {
          m.lastSubmitMillis = now;
          System.out.println(m.result());
        }
        if (m.firstDeliveredMillis == 0 && delivered > m.deliveredBase) {
          m.firstDeliveredMillis = now;
        }
        if (m.lastDeliveredMillis == 0
            && m.lastSubmitMillis != 0
            && delivered >= m.deliveredBase + m.n) {
          m.lastDeliveredMillis = now;
          System.out.println(m.result());
        }
      }
      long nowNanos = System.nanoTime();
      if (nowNanos >= nextPrint) {
        System.out.printf(
            Locale.ROOT,
            "%6.0f s  submits %,10d  %,7d/s   receipts delivered %,10d  %,7d/s%n",
            (nowNanos - start) / 1e9,
            submits,
            submits - lastSubmits,
            delivered,
            delivered - lastDelivered);
        lastSubmits = submits;
        lastDelivered = delivered;
        nextPrint += 1_000_000_000L;
      }
    }
  }
}
