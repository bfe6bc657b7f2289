package org.assemblypay.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The entry point: the assembly registry and a ledger per assembly, each routed to its data. */
public final class Ledger implements AutoCloseable {
  static final String CONTROL_SCHEMA = "control";

  static {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  private final LedgerSettings settings;
  private final Pools pools;
  private final Assemblies assemblies;
  private final PaymentReferences paymentReferences;
  private final ParkedDeliveryReports parkedDeliveryReports;
  private final Map<String, AssemblyLedger> ledgers = new ConcurrentHashMap<>();

  private Ledger(LedgerSettings settings) {
    this.settings = settings;
    this.pools = new Pools(settings);
    DataSource main = pools.forUrl(settings.jdbcUrl());
    Flyway.configure()
        .dataSource(main)
        .schemas(CONTROL_SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/control")
        .load()
        .migrate();
    this.assemblies = new Assemblies(this, mapped(main, CONTROL_SCHEMA));
    this.paymentReferences = new PaymentReferences(mapped(main, CONTROL_SCHEMA));
    this.parkedDeliveryReports = new ParkedDeliveryReports(mapped(main, CONTROL_SCHEMA));
  }

  /** Connects to the main database and migrates the control schema. */
  public static Ledger open(LedgerSettings settings) {
    return new Ledger(settings);
  }

  /** The assembly registry. */
  public Assemblies assemblies() {
    return assemblies;
  }

  /** The index of payment references: which assembly holds each one. */
  public PaymentReferences paymentReferences() {
    return paymentReferences;
  }

  /** Delivery reports stored until their outbox row can be found (D210). */
  public ParkedDeliveryReports parkedDeliveryReports() {
    return parkedDeliveryReports;
  }

  /** The ledger of one assembly; throws {@link UnknownAssemblyException}. */
  public AssemblyLedger assembly(String code) {
    String key = code == null ? "" : code.trim().toUpperCase(java.util.Locale.ROOT);
    AssemblyLedger cached = ledgers.get(key);
    if (cached != null) {
      return cached;
    }
    Assembly assembly = assemblies.find(key).orElseThrow(() -> new UnknownAssemblyException(code));
    return ledgers.computeIfAbsent(key, k -> open(assembly));
  }

  /** Applies pending migrations to every registered assembly's schema. */
  public void migrateAll() {
    for (Assembly a : assemblies.list()) {
      migrate(a);
    }
  }

  @Override
  public void close() {
    pools.close();
  }

  LedgerSettings settings() {
    return settings;
  }

  void migrate(Assembly assembly) {
    Flyway.configure()
        .dataSource(dataSourceOf(assembly))
        .schemas(assembly.schemaName())
        .createSchemas(true)
        .locations("classpath:db/assembly")
        .load()
        .migrate();
  }

  private DataSource dataSourceOf(Assembly assembly) {
    return pools.forUrl(assembly.ownJdbcUrl().orElse(settings.jdbcUrl()));
  }

  private AssemblyLedger open(Assembly assembly) {
    DataSource ds = dataSourceOf(assembly);
    return new AssemblyLedger(assembly, mapped(ds, assembly.schemaName()), settings);
  }

  /** A DSLContext whose generated tables render into {@code schema}. */
  static DSLContext mapped(DataSource ds, String schema) {
    Settings jooq =
        new Settings()
            .withExecuteLogging(false)
            .withRenderMapping(
                new RenderMapping()
                    .withSchemata(new MappedSchema().withInput("PUBLIC").withOutput(schema)));
    return DSL.using(ds, SQLDialect.POSTGRES, jooq);
  }
}
