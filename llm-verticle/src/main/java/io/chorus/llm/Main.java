package io.chorus.llm;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one LLM worker as its own cluster member; start as many as the answers need, they share
 * {@code llm.completion.start}. The configuration is checked before joining the cluster, so a bad
 * {@code LLM_*} value stops the process at once with the variable's name.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    LlmConfig config;
    ClusterSettings cluster;
    OpsSettings ops;
    try {
      config = LlmConfig.fromSystem();
      cluster = ClusterSettings.from(Env.system());
      ops = OpsSettings.from(Env.system());
    } catch (IllegalArgumentException e) {
      log.error("bad configuration: {}", e.getMessage());
      System.exit(1);
      return;
    }
    log.info("starting the LLM worker: {}", config);
    ServiceMain.run("llm-worker", ClusterNode.start(cluster), ops, vertx -> vertx.deployVerticle(new LlmVerticle(config)));
  }
}
