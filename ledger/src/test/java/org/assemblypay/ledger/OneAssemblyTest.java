package org.assemblypay.ledger;

import org.junit.jupiter.api.BeforeAll;

/** Base of the ledger tests that share one fresh assembly per test class. */
abstract class OneAssemblyTest extends FixtureTest {
  static AssemblyLedger a;

  @BeforeAll
  static void openAssembly() {
    a = fx.newAssembly();
  }
}
