package org.assemblypay.bench.kannel;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assemblypay.bench.CliOptions;

/**
 * Queues N messages in Kannel through smsbox's sendsms HTTP interface, a bounded number of requests
 * at a time, and says how each was answered. Message i goes to 23324 + i (7 digits) with the
 * receipt text the other SMS benchmarks send; with a dlr-mask above 0 it carries {@code
 * dlr-url=<dlr-url>?run=R&id=i&s=%d}, so the sink can tell every message's report apart. With
 * {@code --per-request K} one request names K recipients (sendsms "multi-send", space-separated)
 * and the dlr-url carries {@code to=%p} (in a report, the original recipient) instead of the id,
 * which the sink maps back to i.
 *
 * <p>Options: {@code --n 1000 --run r1 --concurrency 16 --per-request 1 --url
 * http://127.0.0.1:13930/cgi-bin/sendsms --user bench --password bench --from AMA --dlr-mask 0
 * --dlr-url http://127.0.0.1:18091/dlr}. Exits 1 if any request failed after 5 attempts.
 */
public final class SendSmsInjector {

  private SendSmsInjector() {}

  /** Sends the messages and prints how long it took and how they were answered. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = CliOptions.parse(args);
    int n = Integer.parseInt(options.getOrDefault("n", "1000"));
    String run = options.getOrDefault("run", "r1");
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
    String url = options.getOrDefault("url", "http://127.0.0.1:13930/cgi-bin/sendsms");
    String user = options.getOrDefault("user", "bench");
    String password = options.getOrDefault("password", "bench");
    String from = options.getOrDefault("from", "AMA");
    int dlrMask = Integer.parseInt(options.getOrDefault("dlr-mask", "0"));
    String dlrUrl = options.getOrDefault("dlr-url", "http://127.0.0.1:18091/dlr");
    int perRequest = Integer.parseInt(options.getOrDefault("per-request", "1"));

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Semaphore slots = new Semaphore(concurrency);
    Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    AtomicLong failed = new AtomicLong();
    String fixed =
        url
            + "?username="
            + enc(user)
            + "&password="
            + enc(password)
            + "&from="
            + enc(from)
            + (dlrMask > 0 ? "&dlr-mask=" + dlrMask : "");
    long start = System.nanoTime();
    long started = 0;
    for (int first = 0; first < n; first += perRequest) {
      int last = Math.min(n, first + perRequest);
      StringBuilder to = new StringBuilder();
      for (int i = first; i < last; i++) {
        to.append(i == first ? "" : " ").append(number(i));
      }
      String text =
          "AMA receipt AMA-2026-"
              + String.format(Locale.ROOT, "%06d", first)
              + ": GHS 5.00 paid. Code 4F7K";
      // One recipient: the id is in the URL. Several: Kannel puts the recipient in for %p (a
      // report is a message from the handset, so its sender, %p, is the original recipient).
      String report =
          dlrUrl + "?run=" + run + (perRequest == 1 ? "&id=" + first : "&to=%p") + "&s=%d";
      String uri =
          fixed
              + "&to="
              + enc(to.toString())
              + "&text="
              + enc(text)
              + (dlrMask > 0 ? "&dlr-url=" + enc(report) : "");
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).GET().build();
      slots.acquire();
      send(client, request, 1, slots, answers, failed);
      started += last - first;
      if (started % 10_000 < perRequest) {
        System.out.printf(
            Locale.ROOT,
            "  %,d messages requested, %.1f s%n",
            started,
            (System.nanoTime() - start) / 1e9);
      }
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "INJECTED run=%s n=%d seconds=%.3f rate=%.0f/s failed=%d answers=%s%n",
        run,
        n,
        seconds,
        n / seconds,
        failed.get(),
        answers);
    System.exit(failed.get() == 0 ? 0 : 1);
  }

  private static void send(
      HttpClient client,
      HttpRequest request,
      int attempt,
      Semaphore slots,
      Map<String, AtomicLong> answers,
      AtomicLong failed) {
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              boolean ok = error == null && response.statusCode() / 100 == 2;
              String answer =
                  error != null
                      ? error.getClass().getSimpleName()
                      : response.statusCode() + " " + response.body().strip();
              if (!ok && attempt < 5) {
                try {
                  TimeUnit.MILLISECONDS.sleep(100L * attempt);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                answers
                    .computeIfAbsent("retried after " + answer, k -> new AtomicLong())
                    .incrementAndGet();
                send(client, request, attempt + 1, slots, answers, failed);
                return;
              }
              answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
              if (!ok) {
                failed.incrementAndGet();
              }
              slots.release();
            });
  }

  /** Message i's recipient: 23324 and i in 7 digits (DlrSink reads the id back from it). */
  static String number(int i) {
    return "23324" + String.format(Locale.ROOT, "%07d", i % 10_000_000);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
