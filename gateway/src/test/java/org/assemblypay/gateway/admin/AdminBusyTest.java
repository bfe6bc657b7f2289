package org.assemblypay.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assemblypay.gateway.admin.AdminApi.Response;
import org.junit.jupiter.api.Test;

/** When the worker pool refuses work the API answers 503 JSON at once instead of queueing. */
class AdminBusyTest {
  @Test
  void aFullWorkerPoolAnswers503() throws Exception {
    ExecutorService refusing = Executors.newSingleThreadExecutor();
    refusing.shutdown(); // every execute() is now rejected, as when the bounded queue is full
    try (AdminApi api = new AdminApi(AdminSettings.defaults(), refusing)) {
      long audit = api.count(api.a, "audit_log");
      Response r =
          api.post(
              "a-admin",
              "/api/v1/assemblies/" + api.a + "/markets",
              "{\"code\":\"BUSY\",\"name\":\"Busy\",\"kind\":\"MARKET\"}");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.errorCode()).isEqualTo("busy");
      assertThat(api.count(api.a, "audit_log")).isEqualTo(audit);
      assertThat(api.count(api.a, "markets")).isZero();
    }
  }
}
