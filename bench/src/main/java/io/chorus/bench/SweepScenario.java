package io.chorus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Fanout with the send rate raised step by step (the period divided by {@code --sweep-factor}) on the same
 * rooms and sockets, until a step loses a delivery, fails a send, sees p99 above {@code --p99-limit}, or
 * the load tool itself lags (each failing step is run again up to {@code --sweep-retries} times first);
 * reports the highest rate that held.
 */
final class SweepScenario {
  private SweepScenario() {}

  static Result run(Target target, Options options, LagMonitor lag) {
    FanoutScenario fanout = new FanoutScenario(target, options, lag);
    Rooms rooms = Rooms.create(target, "sweep", options.clients(), options.roomSize());
    JsonArray steps = new JsonArray();
    StringBuilder text = new StringBuilder();
    FanoutScenario.Step best = null;
    String stopReason = "all " + options.sweepSteps() + " steps held";
    try {
      fanout.warmUp(rooms, options.sweepStartMs());
      int previous = -1;
      for (int k = 0; k < options.sweepSteps(); k++) {
        int period = (int) Math.round(options.sweepStartMs() / Math.pow(options.sweepFactor(), k));
        if (period < 1 || period == previous) {
          stopReason = "the period cannot get shorter than 1 ms";
          break;
        }
        previous = period;
        System.out.printf(Locale.ROOT, "  sweep step %d: period %d ms, %.1f sends/s%n", k + 1, period,
            options.sendRate(period));
        FanoutScenario.Step step = null;
        // A shared machine has hiccups: a step that fails is tried again before it ends the sweep.
        for (int attempt = 0; attempt <= options.sweepRetries() && (step == null || !step.held()); attempt++) {
          step = fanout.step(rooms, period, "s" + k + "a" + attempt);
          steps.add(step.json().put("step", k + 1).put("attempt", attempt + 1));
          text.append(String.format(Locale.ROOT, "  step %d, try %d: %s%n", k + 1, attempt + 1,
              step.held() ? "held" : "NOT held")).append(step.text());
        }
        if (!step.held()) {
          stopReason = reason(step.json(), options);
          break;
        }
        best = step;
      }
    } finally {
      rooms.close();
    }
    JsonObject json = new JsonObject().put("steps", steps).put("stopReason", stopReason);
    String head;
    if (best == null) {
      head = "  no step held (" + stopReason + ")\n";
      json.putNull("highestHeld");
    } else {
      json.put("highestHeld", new JsonObject().put("periodMs", best.json().getInteger("periodMs"))
          .put("sendsPerSecond", best.sendRate()).put("deliveriesPerSecond", best.deliveryRate())
          .put("p99Ms", best.json().getJsonObject("endToEndLatency").getDouble("p99Ms")));
      head = String.format(Locale.ROOT, "  highest rate held: %.1f sends/s (%.0f deliveries/s, period %d ms, p99 %.2f ms); "
              + "stopped: %s%n", best.sendRate(), best.deliveryRate(), best.json().getInteger("periodMs"),
          best.json().getJsonObject("endToEndLatency").getDouble("p99Ms"), stopReason);
    }
    return new Result("sweep", json, head + text);
  }

  private static String reason(JsonObject step, Options options) {
    if (step.getJsonObject("loadToolLag").getBoolean("lagged")) {
      return "the load tool lagged (results invalid beyond this point)";
    }
    if (step.getLong("lost") > 0) {
      return step.getLong("lost") + " deliveries lost";
    }
    if (step.getLong("failed") > 0) {
      return step.getLong("failed") + " sends failed";
    }
    if (step.getLong("duplicates") > 0) {
      return step.getLong("duplicates") + " duplicates";
    }
    return String.format(Locale.ROOT, "p99 %.2f ms above %.1f ms",
        step.getJsonObject("endToEndLatency").getDouble("p99Ms"), options.p99LimitMs());
  }
}
