package org.assemblypay.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --data-dir DIR}: the data survives a restart and is seeded only once. */
class DemoDataDirectoryTest {

  @Test
  void dataSurvivesARestartAndIsNotSeededTwice(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("pg");
    long receipts;
    try (Demo first = Demo.start(0, data)) {
      assertThat(first.summary().freshlySeeded()).isTrue();
      assertThat(first.keepsData()).isTrue();
      receipts =
          first
              .node()
              .ledger()
              .assembly("AMA")
              .recentReceipts(first.summary().exampleTrader().id(), 50)
              .size();
    }
    assertThat(Files.isDirectory(data)).as("kept after stop").isTrue();

    try (Demo second = Demo.start(0, data)) {
      assertThat(second.summary().freshlySeeded()).isFalse();
      assertThat(second.summary().traders()).isEqualTo(50);
      assertThat(
              second
                  .node()
                  .ledger()
                  .assembly("AMA")
                  .recentReceipts(second.summary().exampleTrader().id(), 50)
                  .size())
          .isEqualTo(receipts);
    }
    assertThat(Files.isDirectory(data)).isTrue();
  }
}
