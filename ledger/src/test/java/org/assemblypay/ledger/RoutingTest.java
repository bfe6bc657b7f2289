package org.assemblypay.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.UUID;
import org.assemblypay.ledger.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each assembly's data is its own: separate schemas, or a separate database. */
class RoutingTest {
  static Fixture fx;
  static String ownDatabase;

  @BeforeAll
  static void setUp() {
    fx = new Fixture();
  }

  @AfterAll
  static void tearDown() throws Exception {
    fx.close();
    if (ownDatabase != null) {
      fx.db.dropDatabase(ownDatabase);
    }
  }

  @Test
  void oneAssemblyCannotSeeAnothersData() {
    AssemblyLedger a = fx.newAssembly();
    AssemblyLedger b = fx.newAssembly();
    Trader inA = Fixture.trader(a, "MKT");
    Payment p = Fixture.intent(a, inA.id(), 500);
    Settlement s = a.settleSuccessful(p.reference(), 500, "A1", Fixture.NOTIFIER);

    assertThat(b.traderByCustomerNumber(inA.customerNumber())).isEmpty();
    assertThat(b.payment(p.reference())).isEmpty();
    assertThat(b.verifyReceipt(s.receipt().orElseThrow().number())).isEmpty();
    assertThat(b.verifyReceipt(s.receipt().orElseThrow().verificationCode())).isEmpty();
    assertThat(b.searchTraders("Ama", 0, 50)).isEmpty();
    // The same trader id in the other assembly is someone else, or nobody.
    assertThatThrownBy(() -> b.settleSuccessful(p.reference(), 500, "A1", Fixture.NOTIFIER))
        .isInstanceOf(UnknownEntityException.class);
    Fixture.assertInvariants(a);
    Fixture.assertInvariants(b);
  }

  @Test
  void registryFindsAssembliesByCodeAndServiceCodeAndRegistrationIsIdempotent() {
    String code = TestDatabase.uniqueAssemblyCode("R");
    String ussd = TestDatabase.uniqueUssdCode();
    NewAssembly n = NewAssembly.inMainDatabase(code, "Registry Test", ussd);
    Assembly first;
    try {
      first = fx.ledger.assemblies().register(n);
      assertThat(fx.ledger.assemblies().register(n)).isEqualTo(first);
      assertThat(first.schemaName()).isEqualTo("asm_" + code.toLowerCase(Locale.ROOT));
      assertThat(fx.ledger.assemblies().byServiceCode(ussd)).contains(first);
      assertThat(fx.ledger.assemblies().find(code.toLowerCase(Locale.ROOT))).contains(first);
      assertThat(fx.ledger.assemblies().list()).contains(first);
      assertThatThrownBy(
              () ->
                  fx.ledger
                      .assemblies()
                      .register(NewAssembly.inMainDatabase(code, "Other name", ussd)))
          .isInstanceOf(IdempotencyConflictException.class);
      String other = TestDatabase.uniqueAssemblyCode("R");
      assertThatThrownBy(
              () ->
                  fx.ledger.assemblies().register(NewAssembly.inMainDatabase(other, "Thief", ussd)))
          .isInstanceOf(InvalidInputException.class);
      assertThat(fx.ledger.assemblies().find(other)).isEmpty();
      fx.ledger.migrateAll();
    } finally {
      try {
        fx.db.dropAssembly(code);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void anAssemblyCanLiveInItsOwnDatabase() throws Exception {
    ownDatabase = "ledger_own_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String url = fx.db.createDatabase(ownDatabase);
    // Its own ledger instance, so its pools are closed before the database is dropped.
    try (Fixture separate = new Fixture()) {
      AssemblyLedger own = separate.newAssembly(url);
      assertThat(own.assembly().ownJdbcUrl()).contains(url);
      Trader t = Fixture.trader(own, "MKT");
      Payment p = Fixture.intent(own, t.id(), 700);
      own.settleSuccessful(p.reference(), 700, "OWN", Fixture.NOTIFIER);
      assertThat(own.payment(p.reference())).isPresent();
      Fixture.assertInvariants(own);
      // Its data is in the other database: the main database has no such schema.
      try (var c = fx.db.connect();
          var rs = c.getMetaData().getSchemas(null, own.assembly().schemaName())) {
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
