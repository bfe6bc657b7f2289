package org.assemblypay.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.LedgerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway migrate}: creates or upgrades the control schema and every assembly's schema. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Create or upgrade the control schema and every registered assembly's schema.")
public final class MigrateCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "YAML configuration file.")
  Path configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GatewayConfig config = new ConfigLoader(System.getenv()).load(configFile);
    GatewayConfig.Database db = config.database();
    try (Ledger ledger =
        Ledger.open(
            LedgerSettings.of(db.url(), db.user(), db.password())
                .withMaxPoolSizePerDatabase(Math.min(db.poolSize(), 4)))) {
      ledger.migrateAll();
      int assemblies = ledger.assemblies().list().size();
      spec.commandLine()
          .getOut()
          .printf("Migrated the control schema and %d assembly schema(s).%n", assemblies);
      return 0;
    }
  }
}
