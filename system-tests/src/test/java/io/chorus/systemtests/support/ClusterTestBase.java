package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class against one Chorus cluster for all its tests: the cluster, a client-side Vert.x for
 * WebSocket and HTTP clients, and the HTTP API on the first gateway. Override {@link #startCluster()}
 * for other settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClusterTestBase {
  protected ClusterHarness cluster;
  protected Vertx client;
  protected ApiClient api;

  protected ClusterHarness startCluster() {
    return ClusterHarness.start();
  }

  @BeforeAll
  final void startClusterAndClients() {
    cluster = startCluster();
    client = Vertx.vertx();
    api = new ApiClient(client, cluster.gatewayPort());
  }

  @AfterAll
  final void stopClusterAndClients() {
    if (api != null) {
      api.close();
    }
    if (client != null) {
      Wait.on(client.close(), 10);
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
