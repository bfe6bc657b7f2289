package org.assemblypay.gateway;

import org.assemblypay.gateway.cli.ConfigCommand;
import org.assemblypay.gateway.cli.DemoCommand;
import org.assemblypay.gateway.cli.MenusCommand;
import org.assemblypay.gateway.cli.MigrateCommand;
import org.assemblypay.gateway.cli.RunCommand;
import org.assemblypay.gateway.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The gateway's command line: the only {@code main} in the project. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "USSD/SMS payments gateway for Ghana's assemblies.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      MigrateCommand.class,
      ConfigCommand.class,
      MenusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException config) {
            config.problems().forEach(p -> cmd.getErr().println("config: " + p));
            return 2;
          }
          if (e instanceof org.assemblypay.session.redis.RedisUnavailableException redis) {
            cmd.getErr().println("start: " + redis.getMessage());
            return 3;
          }
          throw e;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"gateway " + (v == null ? "development build" : v)};
    }
  }
}
