package io.chorus.model.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.internal.util.ConcurrencyUtil;
import io.chorus.model.limits.SharedRateLimiter;
import io.chorus.model.ops.NodeOps;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts a clustered Vert.x on Hazelcast with TCP-IP discovery; every service's {@code Main} uses it. */
public final class ClusterNode {
  /** Per-user limit buckets a member keeps at most (about 200 bytes each: some 40 MB at worst). */
  static final int LIMIT_KEYS_PER_MEMBER = 200_000;

  private ClusterNode() {}

  public static Future<Vertx> start(ClusterSettings settings) {
    return start(settings, new VertxOptions());
  }

  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
    return start(settings, options, new HazelcastClusterManager(hazelcastConfig(settings)));
  }

  /** With a cluster manager of the caller's, e.g. a test that cuts a node off Hazelcast abruptly. */
  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options, HazelcastClusterManager manager) {
    reuseHazelcastCallbackThreads();
    EventBusOptions eventBus = options.getEventBusOptions();
    if (!"0.0.0.0".equals(settings.host())) {
      eventBus.setHost(settings.host());
    }
    if (settings.publicHost() != null) {
      eventBus.setClusterPublicHost(settings.publicHost());
    }
    // A registry per node (several share a JVM in tests), named so Vert.x does not hand out another's.
    PrometheusMeterRegistry registry = NodeOps.newRegistry();
    options.setMetricsOptions(NodeOps.metricsOptions().setRegistryName("chorus-" + UUID.randomUUID()));
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .withMetrics(NodeOps.metricsFactory(registry))
        .buildClustered()
        .map(vertx -> {
          NodeOps.attach(vertx, registry);
          return vertx;
        });
  }

  /**
   * On one CPU (a process pinned to a core, a container limited to one) the JVM's common pool has no
   * parallelism, and Hazelcast then runs every callback of an asynchronous map call that is not yet
   * complete (all of Vert.x's {@code get}, {@code put}, {@code remove} on cluster maps) on a new thread it
   * starts for that one callback: a profile of the stream bench pinned to one core spent 3 % of the
   * server's CPU in {@code pthread_create} alone. A cached pool of daemon threads reuses them instead.
   */
  static synchronized void reuseHazelcastCallbackThreads() {
    if (ForkJoinPool.getCommonPoolParallelism() > 1 || callbackThreads != null) {
      return;
    }
    AtomicInteger count = new AtomicInteger();
    callbackThreads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "hz-callback-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    ConcurrencyUtil.setDefaultAsyncExecutor(callbackThreads);
  }

  private static ExecutorService callbackThreads;

  public static Config hazelcastConfig(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    // Join at once, and notice a dead member within seconds rather than the default 60 s.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Hazelcast's own metrics feed its Management Center and JMX, neither of which a Chorus node serves (its
    // metrics are Micrometer's, NodeOps): collecting and compressing them every 5 s (cgroup files read, every
    // map walked) took 1.7 % of the server's CPU samples in a profile of the fan-out bench.
    config.getMetricsConfig().setEnabled(false);
    var network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(true).setPortCount(100);
    if (settings.publicHost() != null) {
      network.setPublicAddress(settings.publicHost());
    }
    if (!"0.0.0.0".equals(settings.host())) {
      network.getInterfaces().setEnabled(true).addInterface(settings.host());
    }
    var join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true);
    settings.members().forEach(tcp::addMember);
    // The streams' texts change with every chunk of every answer, in place (StreamTexts): kept as objects,
    // the change appends to a text without deserialising and serialising all of it each time.
    config.addMapConfig(new MapConfig(SharedDataStreamRegistry.TEXTS_MAP).setInMemoryFormat(InMemoryFormat.OBJECT)
        .setStatisticsEnabled(false));
    // The user's answer slots and each conversation's streams, changed in place by IdSetChanges (as objects, so a
    // change does not deserialise and serialise the set); with their backup, like the rest of the stream registry.
    config.addMapConfig(new MapConfig(SharedDataStreamRegistry.USER_SLOTS_MAP).setInMemoryFormat(InMemoryFormat.OBJECT)
        .setStatisticsEnabled(false));
    config.addMapConfig(new MapConfig(SharedDataStreamRegistry.CONVERSATION_STREAMS_MAP)
        .setInMemoryFormat(InMemoryFormat.OBJECT).setStatisticsEnabled(false));
    // The per-user limits' buckets (SharedRateLimiter): changed on every message, so kept as objects and with no
    // backup, which would double the cost of each take. A member that leaves takes its buckets with it: their keys
    // start full again, one extra burst at most, which a limit against abuse can afford. Bounded too: entries
    // expire once full again, but keys are what clients send (addresses), so past LIMIT_KEYS_PER_MEMBER on a member
    // the least recently used bucket goes first (a key used lately, a flooder's, stays).
    config.addMapConfig(new MapConfig(SharedRateLimiter.MAP_PREFIX + "*").setInMemoryFormat(InMemoryFormat.OBJECT)
        .setBackupCount(0).setAsyncBackupCount(0).setStatisticsEnabled(false)
        .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
            .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(LIMIT_KEYS_PER_MEMBER)));
    return config;
  }
}
