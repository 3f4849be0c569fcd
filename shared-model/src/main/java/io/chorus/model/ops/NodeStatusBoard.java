package io.chorus.model.ops;

import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every node tells the cluster what it is doing, for the admin's live view ({@code GET /api/admin/cluster}):
 * a cluster map, {@code chorus.node-status}, of one entry per node, {@code {kind, node, at, ...its figures}},
 * written every {@link #RENEW_MS} with a time to live of {@link #TTL_MS}, so a node that stops or dies drops out by
 * itself within seconds. One entry per node, not per socket or stream: a few writes per node per minute.
 */
public final class NodeStatusBoard {
  public static final String MAP = "chorus.node-status";
  public static final long RENEW_MS = 2_000;
  public static final long TTL_MS = 6_000;
  public static final String GATEWAY = "gateway";
  public static final String LLM = "llm";
  public static final String STORAGE = "storage";
  private static final Logger log = LoggerFactory.getLogger(NodeStatusBoard.class);

  private NodeStatusBoard() {}

  /**
   * This process's name in the view: {@code NODE_NAME} when set (./chorus cluster sets it), else the host's name as
   * the log lines give it (Logback's {@code HOSTNAME}: the local host's name; a shell's HOSTNAME is not exported).
   */
  public static String nodeName() {
    String name = System.getenv("NODE_NAME");
    return name == null || name.isBlank() ? HostName.LOCAL : name;
  }

  /** Looked up once: the lookup can take a while on a machine with a slow resolver. */
  private static final class HostName {
    static final String LOCAL = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "chorus";
      }
    }
  }

  /** A status entry: the figures with the node's kind, name and the time they were taken. */
  public static JsonObject entry(String kind, JsonObject figures) {
    return figures.copy().put("kind", kind).put("node", nodeName()).put("at", System.currentTimeMillis());
  }

  /** Writes {@code figures} now and every {@link #RENEW_MS} on {@code vertx}'s cluster map; the id of its timer. */
  public static long start(Vertx vertx, String kind, Supplier<JsonObject> figures) {
    String key = kind + "-" + UUID.randomUUID();
    Runnable write = () -> Futures.attempt(() -> vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
            .compose(map -> map.put(key, entry(kind, figures.get()), TTL_MS)))
        .onFailure(err -> log.debug("node status not written: {}", err.toString()));
    write.run();
    return vertx.setPeriodic(RENEW_MS, id -> write.run());
  }

  /** Every live node's entry. */
  public static Future<List<JsonObject>> read(AsyncMap<String, JsonObject> map) {
    return map.values();
  }
}
