package org.assemblypay.gateway.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.assemblypay.gateway.demo.Demo;
import org.assemblypay.gateway.demo.DemoSeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway demo}: everything on embedded defaults, seeded with a demo assembly. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the gateway with an embedded PostgreSQL and the demo assembly (AMA, *713*44#).",
      "Needs nothing but a JDK. Ctrl-C stops it and removes its data unless --data-dir is given."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", description = "Keep the database here so it survives a restart.")
  Path dataDirectory;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting the demo: embedded PostgreSQL, migrations, seed data ...");
    out.flush();
    Demo demo = Demo.start(port, dataDirectory);
    printSummary(out, demo);
    RunCommand.awaitShutdown(
        () -> {
          demo.close();
          out.printf(
              "Demo stopped; %s%n",
              demo.keepsData()
                  ? "data kept in " + demo.dataDirectory()
                  : "data removed from " + demo.dataDirectory());
          out.flush();
        });
    return 0;
  }

  private static void printSummary(PrintWriter out, Demo demo) {
    DemoSeed.Summary s = demo.summary();
    String base = "http://localhost:" + demo.httpPort();
    out.printf(
        "%s the demo assembly: %s (AMA), USSD %s — %s; %d traders; %d collectors.%n",
        s.freshlySeeded() ? "Seeded" : "Found",
        s.assemblyName(),
        DemoSeed.USSD_CODE,
        String.join(", ", s.markets()),
        s.traders(),
        s.collectors().size());
    out.printf(
        "  Try trader %s (%s, phone %s); phone %s belongs to two traders (a family stall).%n",
        s.exampleTrader().customerNumber(),
        s.exampleTrader().name(),
        local(s.exampleTrader().phone()),
        s.familyPhone());
    s.collectors()
        .forEach(
            c ->
                out.printf(
                    "  Collector %s, phone %s, PIN %s (demo only), market %s%n",
                    c.name(), c.phone(), c.pin(), c.market()));
    out.printf("  Phone simulator: %s/simulator%n", base);
    out.printf("  Health: %s/health/ready   Metrics: %s/metrics%n", base, base);
    out.printf(
        "  Admin API: %s/api/openapi.yaml (demo keys: %s platform-wide, %s for AMA's finance officer)%n",
        base, Demo.DEMO_PLATFORM_KEY, Demo.DEMO_FINANCE_KEY);
    out.printf(
        "  Data: %s%n",
        demo.keepsData()
            ? "kept in " + demo.dataDirectory() + " across restarts"
            : "in "
                + demo.dataDirectory()
                + ", removed when you press Ctrl-C (use --data-dir DIR to keep it)");
    out.flush();
  }

  private static String local(String msisdn) {
    return msisdn.startsWith("233") ? "0" + msisdn.substring(3) : msisdn;
  }
}
