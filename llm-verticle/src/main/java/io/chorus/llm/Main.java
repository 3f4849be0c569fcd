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
 * {@code LLM_*} value stops the process at once with the variable's name ({@link ServiceMain#settings}).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final String NAME = "llm-worker";

  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    LlmConfig config = ServiceMain.settings(NAME, () -> LlmConfig.from(env));
    ClusterSettings cluster = ServiceMain.settings(NAME, () -> ClusterSettings.from(env));
    OpsSettings ops = ServiceMain.settings(NAME, () -> OpsSettings.from(env));
    log.info("starting the LLM worker: {}", config);
    ServiceMain.run(NAME, ClusterNode.start(cluster), ops, vertx -> vertx.deployVerticle(new LlmVerticle(config)));
  }
}
