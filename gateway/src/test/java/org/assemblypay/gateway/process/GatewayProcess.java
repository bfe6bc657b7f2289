package org.assemblypay.gateway.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway started as a real operating-system process from the packaged {@code
 * target/gateway.jar}, its output captured in a file, for tests of what an operator sees: start,
 * Ctrl-C, SIGKILL.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

  private final Process process;
  private final Path output;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private GatewayProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** The packaged jar; the build runs these tests after {@code package}. */
  static Path jar() {
    Path jar = Path.of("target", "gateway.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: these tests run after `mvn package` (phase integration-test)");
    }
    return jar;
  }

  /**
   * Starts {@code java [jvmOptions] -jar gateway.jar args...} with these extra environment
   * variables, writing its stdout and stderr to {@code output}.
   */
  static GatewayProcess start(
      List<String> jvmOptions, List<String> args, Map<String, String> env, Path output)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java"));
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.environment().putAll(env);
    return new GatewayProcess(pb.start(), output);
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output matches {@code pattern} and returns the first group. */
  String awaitOutput(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(output());
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "gateway exited with "
                + process.exitValue()
                + " before printing "
                + pattern
                + ":\n"
                + output());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("gateway never printed " + pattern + ":\n" + output());
  }

  /** Polls {@code /health/ready} on this port until it answers 200. */
  void awaitReady(int port) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "gateway exited with " + process.exitValue() + " before it was ready:\n" + output());
      }
      if (status(ready).orElse(0) == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("gateway never became ready on port " + port + ":\n" + output());
  }

  Optional<Integer> status(URI uri) throws InterruptedException {
    try {
      return Optional.of(
          http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Ctrl-C: SIGINT to the process, as a terminal sends it. */
  void interrupt() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -INT " + process.pid() + " failed");
    }
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("gateway did not stop within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crashed machine or an OOM killer would. */
  void kill() {
    process.destroyForcibly();
  }

  /** Whether something still listens on this port (true when it cannot be bound). */
  static boolean portInUse(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      s.setReuseAddress(true);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A port that was free a moment ago. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process and its children if a test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
