package io.chorus.systemtests.support;

import io.chorus.chat.ChatConfig;
import io.chorus.chat.ChatVerticle;
import io.chorus.fixtures.TestDatabase;
import io.chorus.fixtures.Wait;
import io.chorus.gateway.GatewayConfig;
import io.chorus.gateway.GatewayVerticle;
import io.chorus.llm.LlmConfig;
import io.chorus.llm.LlmVerticle;
import io.chorus.llm.testing.FakeOpenAiServer;
import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.storage.StorageConfig;
import io.chorus.storage.StorageVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Chorus on two clustered Vert.x nodes in this JVM, with a cluster name of its own and a fresh
 * database: node A runs a gateway and a chat service, node B storage, chat, the LLM worker (pointed at a
 * local fake OpenAI-compatible server) and a second gateway. Every request crosses the cluster.
 */
public final class ClusterHarness implements AutoCloseable {
  public static final String JWT_SECRET = "system-tests-secret-0123456789-abcdef";
  /** What a scraper sends to a gateway's /metrics. */
  public static final String METRICS_TOKEN = "system-tests-metrics-token";

  public final Vertx nodeA;
  public final Vertx nodeB;
  public final TestDatabase database;
  public final FakeOpenAiServer provider;
  public final GatewayVerticle gatewayA;
  public final GatewayVerticle gatewayB;

  private final ClusterSettings settings;
  private final Map<String, String> values;
  private final Env env;
  private int processes;

  private ClusterHarness(ClusterSettings settings, Map<String, String> values, Env env, Vertx nodeA, Vertx nodeB, TestDatabase database,
      FakeOpenAiServer provider, GatewayVerticle gatewayA, GatewayVerticle gatewayB) {
    this.settings = settings;
    this.values = values;
    this.env = env;
    this.nodeA = nodeA;
    this.nodeB = nodeB;
    this.database = database;
    this.provider = provider;
    this.gatewayA = gatewayA;
    this.gatewayB = gatewayB;
  }

  public static ClusterHarness start() {
    return start(Map.of(), true);
  }

  /**
   * With settings of the test's own on top of the defaults, and optionally without an LLM worker in
   * this JVM, for tests that run workers as separate processes ({@link #startService}).
   */
  public static ClusterHarness start(Map<String, String> overrides, boolean llmWorkerInProcess) {
    return start(overrides, llmWorkerInProcess, true);
  }

  /**
   * Optionally without the storage service in this JVM either, for tests that stop and restart it as a
   * separate process; such a test starts one ({@code io.chorus.storage.Main}) before using the cluster.
   */
  public static ClusterHarness start(Map<String, String> overrides, boolean llmWorkerInProcess,
      boolean storageInProcess) {
    String clusterName = "chorus-it-" + UUID.randomUUID();
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000);
    ClusterSettings settings = ClusterSettings.loopback(clusterName, basePort);
    Vertx nodeA = Wait.on(ClusterNode.start(settings), 60);
    Vertx nodeB = Wait.on(ClusterNode.start(settings), 60);
    TestDatabase database = TestDatabase.fresh();
    FakeOpenAiServer provider = Wait.on(FakeOpenAiServer.start(nodeB), 10);

    Map<String, String> values = new HashMap<>(Map.of(
        "PG_URI", database.uri(),
        "HTTP_PORT", "0",
        "JWT_SECRET", JWT_SECRET,
        "BCRYPT_COST", "4",
        "LLM_PROVIDER", "openai",
        "LLM_BASE_URL", provider.baseUrl(),
        "LLM_API_KEY", "test-key",
        "LLM_MODEL", "fake-model",
        "CLUSTER_NAME", clusterName,
        "CLUSTER_MEMBERS", String.join(",", settings.members())));
    values.put("OPS_PORT", "0"); // service processes pick free ops ports (ServiceProcess.opsPort)
    // Every test user registers and logs in from 127.0.0.1; tests of those limits set their own.
    values.put("AUTH_ATTEMPTS_PER_MINUTE", "100000");
    values.put("REGISTRATIONS_PER_HOUR", "100000");
    values.put("METRICS_TOKEN", METRICS_TOKEN);
    values.putAll(overrides);
    Env env = new Env(values);
    if (storageInProcess) {
      await(nodeB.deployVerticle(new StorageVerticle(StorageConfig.from(env))));
    }
    await(nodeB.deployVerticle(new ChatVerticle(ChatConfig.from(env))));
    await(nodeA.deployVerticle(new ChatVerticle(ChatConfig.from(env))));
    if (llmWorkerInProcess) {
      await(nodeB.deployVerticle(new LlmVerticle(LlmConfig.from(env))));
    }
    GatewayVerticle gatewayA = new GatewayVerticle(GatewayConfig.from(env));
    GatewayVerticle gatewayB = new GatewayVerticle(GatewayConfig.from(env));
    await(nodeA.deployVerticle(gatewayA));
    await(nodeB.deployVerticle(gatewayB));
    return new ClusterHarness(settings, values, env, nodeA, nodeB, database, provider, gatewayA, gatewayB);
  }

  /**
   * Runs a service's {@code Main} as a separate JVM in this cluster, with the harness's settings and
   * {@code extra} on top; its output goes to {@code target/processes/<name>.log}.
   */
  public ServiceProcess startService(String name, Class<?> main, Map<String, String> extra) {
    Map<String, String> processEnv = new HashMap<>(values);
    processEnv.put("CLUSTER_PORT", String.valueOf(settings.port() + 20 + processes++));
    processEnv.putAll(extra);
    return ServiceProcess.start(name, main, processEnv);
  }

  /** A further cluster node running only a gateway, for tests that stop or lose one. */
  public record GatewayNode(Vertx vertx, HazelcastClusterManager manager, GatewayVerticle gateway) {
    public int port() {
      return gateway.port();
    }

    /** Cuts the node off the cluster at once, as a crash would: no goodbye, no clean-up. */
    public void crash() {
      manager.getHazelcastInstance().getLifecycleService().terminate();
    }
  }

  public GatewayNode startGatewayNode() {
    return startGatewayNode(Map.of());
  }

  /** A gateway node with settings of its own on top of the harness's (a short ping timeout, say). */
  public GatewayNode startGatewayNode(Map<String, String> overrides) {
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterNode.hazelcastConfig(settings));
    Vertx node = Wait.on(ClusterNode.start(settings, new VertxOptions(), manager), 60);
    Map<String, String> gatewayEnv = new HashMap<>(values);
    gatewayEnv.putAll(overrides);
    GatewayVerticle gateway = new GatewayVerticle(GatewayConfig.from(new Env(gatewayEnv)));
    await(node.deployVerticle(gateway));
    return new GatewayNode(node, manager, gateway);
  }

  private static void await(io.vertx.core.Future<?> future) {
    Wait.on(future, 60);
  }

  /** A free TCP port on 127.0.0.1 for a gateway process (HTTP_PORT). */
  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Port of the gateway on node A, the node without storage or LLM worker. */
  public int gatewayPort() {
    return gatewayA.port();
  }

  public int secondGatewayPort() {
    return gatewayB.port();
  }

  @Override
  public void close() {
    try {
      Wait.on(provider.close(), 10);
      Wait.on(nodeA.close(), 30);
      database.drop();
    } finally {
      Wait.on(nodeB.close(), 30);
    }
  }
}
