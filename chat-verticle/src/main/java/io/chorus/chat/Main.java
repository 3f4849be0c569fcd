package io.chorus.chat;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;

/**
 * Runs the chat service as its own clustered process; its settings ({@code CHAT_*}, {@code CLUSTER_*},
 * {@code OPS_*}) are read before it joins the cluster ({@link ServiceMain#settings}).
 */
public final class Main {
  private static final String NAME = "chat";

  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    ChatConfig config = ServiceMain.settings(NAME, () -> ChatConfig.from(env));
    ClusterSettings cluster = ServiceMain.settings(NAME, () -> ClusterSettings.from(env));
    OpsSettings ops = ServiceMain.settings(NAME, () -> OpsSettings.from(env));
    ServiceMain.run(NAME, ClusterNode.start(cluster), ops, vertx -> vertx.deployVerticle(new ChatVerticle(config)));
  }
}
