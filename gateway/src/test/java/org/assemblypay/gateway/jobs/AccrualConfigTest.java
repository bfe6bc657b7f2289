package org.assemblypay.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.assemblypay.gateway.config.ConfigException;
import org.assemblypay.gateway.config.ConfigLoader;
import org.assemblypay.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

/** The {@code accrual:} section: defaults, YAML, GATEWAY_ACCRUAL_* overrides and bad values. */
class AccrualConfigTest {
  private static final String DB = "database: {url: \"jdbc:postgresql://db/gw\"}\n";

  @Test
  void onAtFiveMinutesPastMidnightWithAWeekOfCatchUpByDefault() {
    AccrualConfig a = new ConfigLoader(Map.of()).loadText(DB).accrual();
    assertThat(a.enabled()).isTrue();
    assertThat(a.localTime()).isEqualTo(LocalTime.of(0, 5));
    assertThat(a.catchUpDays()).isEqualTo(7);
    assertThat(a.checkIntervalSeconds()).isEqualTo(60);
    assertThat(a.assemblies()).isEmpty();
  }

  @Test
  void yamlAndEnvironmentSetEveryValue() {
    ConfigLoader loader =
        new ConfigLoader(
            Map.of(
                "GATEWAY_ACCRUAL_ENABLED", "false",
                "GATEWAY_ACCRUAL_TIME_OF_DAY", "01:30",
                "GATEWAY_ACCRUAL_ASSEMBLIES", "AMA, KMA"));
    GatewayConfig config =
        loader.loadText(DB + "accrual: {timeOfDay: \"00:10\", catchUpDays: 3}\n");
    AccrualConfig a = config.accrual();
    assertThat(a.enabled()).isFalse();
    assertThat(a.localTime()).isEqualTo(LocalTime.of(1, 30));
    assertThat(a.catchUpDays()).isEqualTo(3);
    assertThat(a.assemblies()).containsExactly("AMA", "KMA");
    assertThat(loader.describe(config))
        .contains("accrual:", "enabled: false", "timeOfDay: \"01:30\"", "catchUpDays: 3");
  }

  @Test
  void eachBadValueIsOneClearLine() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(
                        Map.of(
                            "GATEWAY_ACCRUAL_TIME_OF_DAY", "midnight",
                            "GATEWAY_ACCRUAL_CATCH_UP_DAYS", "-1"))
                    .loadText(DB))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        "accrual.timeOfDay must be a time HH:mm, e.g. 00:05 (got midnight)",
                        "accrual.catchUpDays must be between 0 and 31 (got -1)"));
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of("GATEWAY_ACCRUAL_ENABLED", "sometimes")).loadText(DB))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("accrual.enabled");
    assertThat(new AccrualConfig(true, "25:00", 40, 1, List.of("x")).problems("accrual"))
        .containsExactly(
            "accrual.timeOfDay must be a time HH:mm, e.g. 00:05 (got 25:00)",
            "accrual.catchUpDays must be between 0 and 31 (got 40)",
            "accrual.checkIntervalSeconds must be between 5 and 3600 (got 1)",
            "accrual.assemblies[0]: not an assembly code (2-16 letters or digits)");
  }
}
