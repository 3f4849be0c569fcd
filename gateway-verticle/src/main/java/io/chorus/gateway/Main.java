package io.chorus.gateway;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;

/** Runs a gateway as its own clustered process. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    // Before joining: a bad setting stops the process without a cluster member coming and going.
    GatewayConfig config = GatewayConfig.from(env);
    ServiceMain.run("gateway", ClusterNode.start(ClusterSettings.from(env)),
        // The gateway serves /metrics and /health on its own HTTP port.
        new OpsSettings(OpsSettings.OFF),
        vertx -> vertx.deployVerticle(new GatewayVerticle(config)));
  }
}
