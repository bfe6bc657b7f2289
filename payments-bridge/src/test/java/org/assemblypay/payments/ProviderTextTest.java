package org.assemblypay.payments;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ProviderTextTest {

  @Example
  void removesCharactersMtnRejects() {
    assertThat(ProviderText.sanitise("Ama's stall & <co> \"toll\" 50% ;=\\ ok", 160))
        .isEqualTo("Amas stall co toll 50 ok");
  }

  @Example
  void keepsOrdinaryNotes() {
    assertThat(
            ProviderText.sanitise("AMA toll 21/11/2026 - stall #B12 (Makola), paid: GHS 5.00", 160))
        .isEqualTo("AMA toll 21/11/2026 - stall #B12 (Makola), paid: GHS 5.00");
  }

  @Example
  void foldsAccentsAndDropsLettersWithoutAnAsciiBase() {
    assertThat(ProviderText.sanitise("Café Ɛkɔ Ŋutɔ", 160)).isEqualTo("Cafe k ut");
  }

  @Example
  void collapsesWhitespaceAndCutsToTheLimit() {
    assertThat(ProviderText.sanitise("  a \t\n b  ", 160)).isEqualTo("a b");
    assertThat(ProviderText.sanitise("x".repeat(500), 160)).hasSize(160);
    assertThat(ProviderText.sanitise(null, 160)).isEmpty();
  }

  @Property
  void resultIsAlwaysSafeAndWithinTheLimit(
      @ForAll String text, @ForAll @IntRange(min = 0, max = 200) int maxChars) {
    String safe = ProviderText.sanitise(text, maxChars);

    assertThat(safe.length()).isLessThanOrEqualTo(maxChars);
    assertThat(safe).matches("[A-Za-z0-9 .,:/()#-]*");
    assertThat(safe).doesNotStartWith(" ").doesNotEndWith(" ");
  }
}
