package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.assemblypay.gateway.admin.AdminApi.Response;
import org.junit.jupiter.api.Test;

/** Each credential has its own token bucket; past it the API answers 429 JSON and counts it. */
class AdminRateLimitTest {
  @Test
  void aCredentialPastItsBurstGets429AndOthersDoNot() throws Exception {
    try (AdminApi api = new AdminApi(AdminSettings.defaults().withRateLimit(0.01, 3))) {
      String markets = "/api/v1/assemblies/" + api.a + "/markets";
      for (int i = 0; i < 3; i++) {
        assertThat(api.get("a-auditor", markets).status()).isEqualTo(200);
      }
      Response limited = api.get("a-auditor", markets);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
      assertThat(limited.raw().headers().firstValue("retry-after")).isPresent();
      assertThat(limited.json().getJsonObject("details").getString("retryAfterSeconds"))
          .isNotBlank();

      long audit = api.count(api.a, "audit_log");
      Response write =
          api.post("a-auditor", markets, "{\"code\":\"RL\",\"name\":\"RL\",\"kind\":\"MARKET\"}");
      assertThat(write.status()).isEqualTo(429);
      assertThat(api.count(api.a, "audit_log")).isEqualTo(audit);

      assertThat(api.get("a-finance", markets).status()).isEqualTo(200);
      assertThat(
              api.registry
                  .get("admin.api.rate.limited")
                  .tag("credential", "a-auditor")
                  .counter()
                  .count())
          .isEqualTo(2.0);
    }
  }
}
