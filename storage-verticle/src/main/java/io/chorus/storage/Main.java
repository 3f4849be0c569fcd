package io.chorus.storage;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the storage service as its own process: joins the cluster ({@code CLUSTER_*}) and deploys
 * {@link StorageVerticle} ({@code PG_URI}, {@code PG_POOL_SIZE}); exits with 1 when either fails, and
 * closes Vert.x on shutdown so the node leaves the cluster cleanly (both via {@link ServiceMain}).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    StorageConfig config;
    ClusterSettings cluster;
    OpsSettings ops;
    try {
      // Settings first, so a bad value stops the process before it joins the cluster.
      config = StorageConfig.from(env);
      cluster = ClusterSettings.from(env);
      ops = OpsSettings.from(env);
    } catch (IllegalArgumentException e) {
      log.error("storage failed to start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    ServiceMain.run("storage", ClusterNode.start(cluster), ops, vertx -> vertx.deployVerticle(new StorageVerticle(config)));
  }
}
