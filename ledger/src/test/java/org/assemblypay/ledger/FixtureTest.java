package org.assemblypay.ledger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the ledger tests that share one {@link Fixture} (database, ledger) per test class. */
abstract class FixtureTest {
  static Fixture fx;

  @BeforeAll
  static void openFixture() {
    fx = new Fixture();
  }

  @AfterAll
  static void closeFixture() throws Exception {
    fx.close();
  }
}
