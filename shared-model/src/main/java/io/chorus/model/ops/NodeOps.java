package io.chorus.model.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * What one Vert.x node shows its operators: a Prometheus registry holding Vert.x's own metrics (event
 * bus, HTTP, pools, JVM) and the services' meters, the readiness checks the services on the node
 * register, and whether the node is draining for a shutdown (it then reports not ready, so a load
 * balancer or orchestrator sends it nothing new).
 */
public final class NodeOps {
  private static final Map<Vertx, NodeOps> NODES = Collections.synchronizedMap(new WeakHashMap<>());

  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness;
  private volatile boolean draining;

  private NodeOps(Vertx vertx, PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.readiness = HealthChecks.create(vertx);
    readiness.register("cluster", promise -> promise.complete(vertx.isClustered() ? Status.OK() : Status.KO()));
  }

  /** A fresh registry for a node about to be built; see {@link #metricsFactory} and {@link #attach}. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Vert.x metrics (event bus, HTTP, pools, JVM) into {@code registry}. */
  public static MicrometerMetricsFactory metricsFactory(PrometheusMeterRegistry registry) {
    return new MicrometerMetricsFactory(registry);
  }

  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
  }

  /** Ties a node built with {@code registry} to it, so its services find the same registry. */
  public static NodeOps attach(Vertx vertx, PrometheusMeterRegistry registry) {
    NodeOps ops = new NodeOps(vertx, registry);
    NODES.put(vertx, ops);
    return ops;
  }

  /** The node's operations view; a Vert.x built without one (a unit test's) gets a registry of its own. */
  public static NodeOps of(Vertx vertx) {
    synchronized (NODES) {
      return NODES.computeIfAbsent(vertx, v -> new NodeOps(v, newRegistry()));
    }
  }

  public MeterRegistry meters() {
    return registry;
  }

  public PrometheusMeterRegistry prometheus() {
    return registry;
  }

  /** Where a service adds what it needs to serve (its database, a service it calls). */
  public HealthChecks readiness() {
    return readiness;
  }

  /**
   * A readiness check named {@code name}: ready while {@code check} succeeds within {@code timeoutMs}, not
   * ready (with the failure's message) otherwise. An answer that comes after the timeout, when the health
   * check has already reported the check as failed, is dropped: completing it again would throw.
   */
  public void addReadinessCheck(String name, long timeoutMs, Supplier<Future<?>> check) {
    readiness.register(name, timeoutMs, promise -> Futures.attempt(() -> check.get().<Void>mapEmpty()).onComplete(ar -> promise.tryComplete(
        ar.succeeded() ? Status.OK() : Status.KO(new JsonObject().put(name, String.valueOf(ar.cause().getMessage()))))));
  }

  /** From now on the node reports not ready; it is finishing its work before it stops. */
  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** {@code {status: UP|DOWN, checks: [...]}}; DOWN while draining whatever the checks say. */
  public Future<JsonObject> ready() {
    return readiness.checkStatus().map(result -> {
      JsonObject body = result.toJson();
      boolean up = CheckResult.isUp(result) && !draining;
      body.put("status", up ? "UP" : "DOWN").put("outcome", up ? "UP" : "DOWN");
      if (draining) {
        body.put("draining", true);
      }
      return body;
    });
  }
}
