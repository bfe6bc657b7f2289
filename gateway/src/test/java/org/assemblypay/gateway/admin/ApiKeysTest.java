package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private final AdminCredential officer =
      new AdminCredential(
          "officer", AdminApi.sha256Hex("secret-one"), AdminRole.FINANCE_OFFICER, "ama");
  private final ApiKeys keys =
      new ApiKeys(
          List.of(
              officer,
              new AdminCredential(
                  "root", AdminApi.sha256Hex("secret-two"), AdminRole.PLATFORM_ADMIN, "*")));

  @Test
  void findsTheCredentialByBearerKey() {
    assertThat(keys.authenticate("Bearer secret-one")).contains(officer);
    assertThat(keys.authenticate("bearer secret-two").map(AdminCredential::name)).contains("root");
    assertThat(officer.assembly()).isEqualTo("AMA");
  }

  @Test
  void refusesEverythingElse() {
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(keys.authenticate("secret-one")).isEmpty();
    assertThat(keys.authenticate("Basic secret-one")).isEmpty();
    assertThat(keys.authenticate("Bearer ")).isEmpty();
    assertThat(keys.authenticate("Bearer secret-on")).isEmpty();
    assertThat(keys.authenticate("Bearer " + "x".repeat(10_000))).isEmpty();
  }

  @Test
  void configurationMistakesAreCaughtAtStart() {
    assertThatThrownBy(
            () ->
                new AdminCredential("p", AdminApi.sha256Hex("k"), AdminRole.PLATFORM_ADMIN, "AMA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdminCredential("p", "not-hex", AdminRole.AUDITOR, "AMA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ApiKeys(List.of(officer, officer)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(officer.toString()).doesNotContain(officer.keySha256Hex());
    assertThat(AdminRole.ofConfigName("finance-officer")).isEqualTo(AdminRole.FINANCE_OFFICER);
  }
}
