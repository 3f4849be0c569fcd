package io.chorus.storage;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;

/**
 * Runs the storage service as its own process: reads its settings ({@code PG_*}, {@code CLUSTER_*},
 * {@code OPS_*}) before it joins the cluster, then deploys {@link StorageVerticle}; exits with 1 when
 * either fails, and closes Vert.x on shutdown so the node leaves the cluster cleanly ({@link ServiceMain}).
 */
public final class Main {
  private static final String NAME = "storage";

  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    StorageConfig config = ServiceMain.settings(NAME, () -> StorageConfig.from(env));
    ClusterSettings cluster = ServiceMain.settings(NAME, () -> ClusterSettings.from(env));
    OpsSettings ops = ServiceMain.settings(NAME, () -> OpsSettings.from(env));
    ServiceMain.run(NAME, ClusterNode.start(cluster), ops, vertx -> vertx.deployVerticle(new StorageVerticle(config)));
  }
}
