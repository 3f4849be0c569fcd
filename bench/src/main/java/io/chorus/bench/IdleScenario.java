package io.chorus.bench;

import io.chorus.fixtures.BridgeSocket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * C bridge sockets held open and pinging, nothing else: what one idle connection costs the server. Live
 * heap (after a full GC) and RSS are read before connecting and after holding the connections for
 * {@code --hold} seconds; the differences divided by C are the cost per connection. Sockets are spread
 * over {@code --idle-users} accounts (a user may have many sockets), and over several 127.0.0.x source
 * addresses beyond 25,000.
 */
final class IdleScenario {
  private IdleScenario() {}

  static Result run(Target target, Options options, LagMonitor lag) {
    int connections = options.connections();
    int users = Math.min(options.idleUsers(), connections);
    List<HttpApi.Account> accounts = Await.all(users, 16, 30, i -> target.api.register(target.username("idle", i)));
    boolean measurable = !target.serverPids.isEmpty();

    Memory before = measurable ? Memory.read(target.serverPids) : null;
    RunProbes probes = new RunProbes(target, lag);
    probes.start();
    long t0 = System.nanoTime();
    List<BridgeSocket> sockets = new ArrayList<>(connections);
    long failedConnects = 0;
    String firstFailure = null;
    List<Future<BridgeSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      connecting.add(target.connect(i, connections, accounts.get(i % users).token()));
      // At most 200 handshakes in flight: a connection storm measures the accept queue, not idle cost.
      if (connecting.size() >= 200 || i == connections - 1) {
        for (Future<BridgeSocket> f : connecting) {
          try {
            sockets.add(Await.on(f, 60));
          } catch (RuntimeException e) {
            failedConnects++;
            firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
          }
        }
        connecting.clear();
      }
    }
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "  %d sockets open in %.1f s (%d failed); holding %d s%n", sockets.size(),
        connectSeconds, failedConnects, options.holdS());
    // The tool's lag is judged over the hold: connecting is set-up (its first connects block a loop once).
    probes.restartLag();
    Await.sleep(options.holdS() * 1000L);
    long closedDuringHold = sockets.stream().filter(BridgeSocket::isClosed).count();
    JsonObject json = new JsonObject();
    // Probes end before the heap is read: jcmd and jstat are JVMs started on the load tool's CPU, and would
    // show up as load-tool lag.
    String probeText = probes.finish(json);
    Memory after = measurable ? Memory.read(target.serverPids) : null;

    json.put("connections", connections).put("users", users)
        .put("opened", sockets.size()).put("failedConnects", failedConnects)
        .put("closedDuringHold", closedDuringHold).put("connectSeconds", connectSeconds).put("holdSeconds", options.holdS())
        .put("sourceAddresses", target.sourceAddresses(connections));
    if (firstFailure != null) {
      json.put("firstConnectFailure", firstFailure);
    }
    String memoryText;
    if (before != null && after != null && !sockets.isEmpty()) {
      int open = sockets.size();
      double heapPer = before.heapKb < 0 || after.heapKb < 0 ? -1 : (after.heapKb - before.heapKb) * 1024.0 / open;
      double rssPer = (after.rssKb - before.rssKb) * 1024.0 / open;
      json.put("heapBeforeKb", before.heapKb).put("heapAfterKb", after.heapKb).put("rssBeforeKb", before.rssKb)
          .put("rssAfterKb", after.rssKb).put("heapBytesPerConnection", heapPer).put("rssBytesPerConnection", rssPer);
      memoryText = String.format(Locale.ROOT,
          "  server live heap %.1f -> %.1f MB: %.0f bytes per connection%n"
              + "  server RSS       %.1f -> %.1f MB: %.0f bytes per connection%n",
          before.heapKb / 1024.0, after.heapKb / 1024.0, heapPer, before.rssKb / 1024.0, after.rssKb / 1024.0, rssPer);
    } else {
      memoryText = "  server memory: pid unknown (give --server-pid with --url)\n";
    }
    List<Future<Void>> closing = new ArrayList<>();
    sockets.forEach(s -> closing.add(s.close()));
    try {
      Await.on(Future.join(closing), 60);
    } catch (RuntimeException e) {
      // best effort
    }
    String text = String.format(Locale.ROOT, "  %d idle sockets (%d users) opened in %.1f s, %d failed, %d closed by the "
            + "server during the %d s hold%n", sockets.size(), users, connectSeconds, failedConnects, closedDuringHold,
        options.holdS()) + memoryText + probeText;
    return new Result("idle", json, text);
  }

  /** Live heap after a full GC, and RSS, summed over the server processes (a cluster's gateways). */
  private record Memory(long heapKb, long rssKb) {
    static Memory read(List<Long> pids) {
      long heap = 0;
      long rss = 0;
      for (long pid : pids) {
        long h = HeapProbe.liveHeapKb(pid);
        ProcStats stats = ProcStats.read(pid);
        heap = heap < 0 || h < 0 ? -1 : heap + h;
        rss = rss < 0 || stats == null ? -1 : rss + stats.rssKb();
      }
      return new Memory(heap, rss);
    }
  }
}
