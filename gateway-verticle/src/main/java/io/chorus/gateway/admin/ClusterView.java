package io.chorus.gateway.admin;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ops.NodeStatusBoard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/admin/cluster}: every live node's entry on the {@link NodeStatusBoard} (gateways, LLM workers,
 * storage nodes), grouped by kind and sorted by name, and the database's state from storage; read from the
 * cluster, so any gateway shows the whole system. A database that does not answer shows as
 * {@code {"error", "code"}} rather than failing the view: that is when an operator needs it most.
 */
final class ClusterView {
  private final ClusterClient cluster;

  ClusterView(ClusterClient cluster) {
    this.cluster = cluster;
  }

  Future<JsonObject> read() {
    Future<List<JsonObject>> nodes =
        cluster.withMap(NodeStatusBoard.MAP, (AsyncMap<String, JsonObject> map) -> NodeStatusBoard.read(map));
    Future<JsonObject> database = cluster.request(Addresses.STORAGE_DATABASE_STATE, Ack.INSTANCE)
        .map(state -> state.toJson().put("status", "UP"))
        .otherwise(err -> {
          var failure = Bus.toChorus(err, "storage.database.state");
          return new JsonObject().put("status", "DOWN").put("error", failure.getMessage())
              .put("code", failure.code().code());
        });
    return Future.all(nodes, database).map(all -> new JsonObject()
        .put("gateways", ofKind(nodes.result(), NodeStatusBoard.GATEWAY))
        .put("llmWorkers", ofKind(nodes.result(), NodeStatusBoard.LLM))
        .put("storageNodes", ofKind(nodes.result(), NodeStatusBoard.STORAGE))
        .put("database", database.result()));
  }

  private static JsonArray ofKind(List<JsonObject> nodes, String kind) {
    return new JsonArray(nodes.stream().filter(n -> kind.equals(n.getString("kind")))
        .sorted(Comparator.comparing((JsonObject n) -> n.getString("node", "")))
        .map(n -> (Object) n).toList());
  }
}
