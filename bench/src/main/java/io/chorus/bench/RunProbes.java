package io.chorus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What every measured run records besides its own numbers: the load tool's event-loop lag (is the tool
 * itself the bottleneck?), CPU and RSS of the server (when its pid is known) and of the tool, and the CPU of
 * a PostgreSQL running on this machine.
 */
final class RunProbes {
  private final LagMonitor lag;
  private final List<ProcSampler> servers = new ArrayList<>();
  private final ProcSampler tool;
  private PostgresCpu postgres;

  RunProbes(Target target, LagMonitor lag) {
    this.lag = lag;
    for (long pid : target.serverPids) {
      servers.add(new ProcSampler(target.vertx, pid, "server"));
    }
    this.tool = new ProcSampler(target.vertx, ProcessHandle.current().pid(), "load tool");
  }

  void start() {
    lag.start();
    servers.forEach(ProcSampler::start);
    tool.start();
    postgres = PostgresCpu.startIfLocal();
  }

  /**
   * Measures the tool's lag afresh from now: for a phase whose start-up costs (the first connections
   * initialise Netty's resolver and pools on an event loop) are the tool's, not the run's.
   */
  void restartLag() {
    lag.start();
  }

  /**
   * Adds {@code lag}, {@code server}, {@code postgres} (when local) and {@code loadTool} to the run's JSON; returns
   * the summary lines.
   */
  String finish(JsonObject json) {
    JsonObject lagJson = lag.finish();
    json.put("loadToolLag", lagJson);
    StringBuilder text = new StringBuilder();
    if (!servers.isEmpty()) {
      JsonArray all = new JsonArray();
      for (ProcSampler server : servers) {
        JsonObject s = server.finish();
        all.add(s);
        text.append("  ").append(ProcSampler.summary(s)).append('\n');
      }
      json.put("servers", all);
    } else {
      text.append("  server: pid unknown (give --server-pid to report its CPU and RSS)\n");
    }
    if (postgres != null) {
      JsonObject db = postgres.finish();
      json.put("postgres", db);
      text.append("  ").append(PostgresCpu.summary(db)).append('\n');
    }
    JsonObject t = tool.finish();
    json.put("loadTool", t);
    text.append("  ").append(ProcSampler.summary(t)).append('\n');
    text.append("  ").append(LagMonitor.verdict(lagJson)).append('\n');
    return text.toString();
  }
}
