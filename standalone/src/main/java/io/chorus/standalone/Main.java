package io.chorus.standalone;

import io.chorus.chat.ChatConfig;
import io.chorus.chat.ChatVerticle;
import io.chorus.gateway.GatewayConfig;
import io.chorus.gateway.GatewayVerticle;
import io.chorus.llm.LlmConfig;
import io.chorus.llm.LlmVerticle;
import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.cluster.ServiceMain;
import io.chorus.model.ops.OpsSettings;
import io.chorus.storage.StorageConfig;
import io.chorus.storage.StorageVerticle;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Chorus service in one clustered JVM: what {@code ./chorus up} runs. It is a normal cluster
 * node, so more gateways or LLM workers started with the same {@code CLUSTER_*} settings join it.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private static final String NAME = "chorus";
  /**
   * Event loops for the cluster side, at least one per service and more than Vert.x's default of two per CPU: on a
   * single CPU (the bench pins the server to one) that default is two loops for four services, so the LLM worker
   * shared one with storage, and in a burst of questions the provider's tokens waited behind storage decoding
   * pages of history (the first tokens of 100 answers asked at once reached the worker 4.5 to 12.5 ms late at
   * p50 with two loops, 0.8 to 2 ms with eight; docs/benchmarks.md). Separate loops let the scheduler interleave
   * the services instead.
   */
  private static final int EVENT_LOOPS = Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, 8);

  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> values = new HashMap<>(System.getenv());
    values.put("PG_URI", EmbeddedDatabase.resolve(values.get("PG_URI")));
    Env env = new Env(values);
    // Every setting is read before joining the cluster, so a bad value stops the process at once.
    StorageConfig storage = ServiceMain.settings(NAME, () -> StorageConfig.from(env));
    ChatConfig chat = ServiceMain.settings(NAME, () -> ChatConfig.from(env));
    LlmConfig llm = ServiceMain.settings(NAME, () -> LlmConfig.from(env));
    GatewayConfig gatewayConfig = ServiceMain.settings(NAME, () -> GatewayConfig.from(env));
    GatewayVerticle gateway = new GatewayVerticle(gatewayConfig);
    ClusterSettings cluster = ServiceMain.settings(NAME, () -> ClusterSettings.standalone(env));
    log.info("cluster '{}' on {}, port {} or the next free one, to itself unless CLUSTER_NAME and CLUSTER_MEMBERS say"
        + " otherwise", cluster.name(), cluster.host(), cluster.port());

    // Everything in one process: the gateway serves /metrics and /health for all of it.
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS);
    ServiceMain.run(NAME, ClusterNode.start(cluster, options), new OpsSettings(OpsSettings.OFF), vertx ->
        vertx.deployVerticle(new StorageVerticle(storage))
            .compose(id -> Future.all(
                vertx.deployVerticle(new ChatVerticle(chat)),
                vertx.deployVerticle(new LlmVerticle(llm))))
            .compose(all -> vertx.deployVerticle(gateway)));
    // The newcomer's next step, as the last line of the start-up (on standard output, after every log line).
    System.out.println("Chorus is up: open http://localhost:" + gateway.port() + "/");
  }
}
