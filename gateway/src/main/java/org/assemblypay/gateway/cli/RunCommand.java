package org.assemblypay.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.gateway.runtime.GatewayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway run}: serves traffic with the configuration from a file and the environment. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run a gateway node. Every config value can be overridden by GATEWAY_* variables.")
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "YAML configuration file.")
  Path configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    GatewayConfig config = new ConfigLoader(System.getenv()).load(configFile);
    GatewayNode node = GatewayNode.start(config, new GatewayNode.Options(false));
    spec.commandLine().getOut().printf("Gateway listening on port %d.%n", node.httpPort());
    spec.commandLine().getOut().flush();
    awaitShutdown(
        () -> {
          node.close();
          spec.commandLine().getOut().println("Gateway stopped.");
          spec.commandLine().getOut().flush();
        });
    return 0;
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs {@code onStop} once. */
  static void awaitShutdown(Runnable onStop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    onStop.run();
                  } finally {
                    stopped.countDown();
                  }
                },
                "gateway-shutdown"));
    stopped.await();
  }
}
