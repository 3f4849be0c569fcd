package io.chorus.gateway;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;

/**
 * Runs a gateway as its own clustered process; its settings ({@code HTTP_PORT} and the gateway's others,
 * {@code CLUSTER_*}) are read before it joins the cluster ({@link ServiceMain#settings}).
 */
public final class Main {
  private static final String NAME = "gateway";

  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    GatewayConfig config = ServiceMain.settings(NAME, () -> GatewayConfig.from(env));
    ClusterSettings cluster = ServiceMain.settings(NAME, () -> ClusterSettings.from(env));
    ServiceMain.run(NAME, ClusterNode.start(cluster),
        // The gateway serves /metrics and /health on its own HTTP port.
        new OpsSettings(OpsSettings.OFF),
        vertx -> vertx.deployVerticle(new GatewayVerticle(config)));
  }
}
