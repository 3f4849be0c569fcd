package io.chorus.chat;

import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;

/** Runs the chat service as its own clustered process. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Env env = Env.system();
    ServiceMain.run("chat", ClusterNode.start(ClusterSettings.from(env)), OpsSettings.from(env),
        vertx -> vertx.deployVerticle(new ChatVerticle(ChatConfig.from(env))));
  }
}
