package org.assemblypay.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway config}: prints the effective configuration with secrets masked. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print the effective configuration (file + environment), secrets masked.")
public final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML configuration file.")
  Path configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConfigLoader loader = new ConfigLoader(System.getenv());
    GatewayConfig config = loader.load(configFile);
    spec.commandLine().getOut().print(loader.describe(config));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
