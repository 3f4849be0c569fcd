package io.chorus.model.cluster;

import io.chorus.model.ops.NodeOps;
import io.chorus.model.ops.NodeStatusBoard;
import io.chorus.model.ops.OpsServer;
import io.chorus.model.ops.OpsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common life of a service process: join the cluster, deploy, serve {@code /metrics} and
 * {@code /health/*} on the ops port, log that it is up; on a start-up failure exit with status 1. On
 * SIGTERM the node reports not ready, then closes Vert.x: each verticle's {@code stop()} drains its
 * work within its own bound, and the node leaves the cluster cleanly.
 */
public final class ServiceMain {
  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);
  /** Longer than any verticle's own drain bound, so a drain is never cut short from here. */
  private static final long CLOSE_BOUND_SECONDS = 60;

  private ServiceMain() {}

  /**
   * Reads a service's settings before it joins the cluster, so a bad value stops the process at once
   * with the variable's name (exit status 1) instead of after a cluster join; every {@code Main} reads
   * all of its settings through here, then calls {@link #run}.
   */
  public static <T> T settings(String name, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      log.error("{} failed to start: bad configuration: {}", name, e.getMessage());
      System.exit(1);
      throw e; // not reached
    }
  }

  public static void run(String name, Future<Vertx> node, OpsSettings ops, Function<Vertx, Future<?>> deploy) {
    try {
      // The host name, looked up here while the node joins: not later on an event loop, whatever the resolver.
      NodeStatusBoard.nodeName();
      Vertx vertx = node.await(60, TimeUnit.SECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log.info("{} shutting down", name);
        NodeOps.of(vertx).startDraining();
        try {
          vertx.close().await(CLOSE_BOUND_SECONDS, TimeUnit.SECONDS);
          log.info("{} stopped", name);
        } catch (Exception e) {
          log.warn("{} did not close cleanly: {}", name, e.toString());
        }
      }, name + "-shutdown"));
      deploy.apply(vertx).await(120, TimeUnit.SECONDS);
      if (ops.enabled()) {
        int port = OpsServer.start(vertx, ops.port()).await(30, TimeUnit.SECONDS).actualPort();
        log.info("{} serves /metrics and /health on port {}", name, port);
      }
      log.info("{} is up", name);
    } catch (Exception e) {
      log.error("{} failed to start", name, e);
      System.exit(1);
    }
  }
}
