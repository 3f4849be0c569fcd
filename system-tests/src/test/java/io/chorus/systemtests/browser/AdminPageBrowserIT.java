package io.chorus.systemtests.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ClusterHarness;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin panel (issue 19) in Chromium: an admin named in ADMIN_USERS announces, reads the cluster view,
 * disconnects, suspends and unsuspends another user, who sees each on their own page. AdminIT covers the API
 * across two gateway JVMs; this is about the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPageBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(90);
  private static final String ADMIN = "ops_" + UUID.randomUUID().toString().substring(0, 8);

  private ClusterHarness cluster;
  private Vertx client;

  @BeforeAll
  void start() {
    String missing = BrowserScript.missingPrerequisite();
    assertThat(missing).as("browser test prerequisites").isNull();
    cluster = ClusterHarness.start(Map.of("ADMIN_USERS", ADMIN), true);
    client = Vertx.vertx();
    new ApiClient(client, cluster.gatewayPort()).registerExactly(ADMIN);
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anAdminAnnouncesReadsTheClusterAndDisconnectsSuspendsAndRestoresAUser() throws Exception {
    assertThat(BrowserScript.run("admin.mjs", "operate-from-the-admin-panel",
        "http://127.0.0.1:" + cluster.gatewayPort(), Map.of("ADMIN_NAME", ADMIN), SCENARIO_TIMEOUT)).isZero();
  }
}
