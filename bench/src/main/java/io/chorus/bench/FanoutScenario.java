package io.chorus.bench;

import io.chorus.fixtures.BridgeError;
import io.chorus.fixtures.BridgeSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * C clients in rooms of K, each sending {@code client.chat.send} every P ms on a fixed open-loop schedule
 * (never waiting for acks); every member's socket receives every message of its room. Measures
 * end-to-end latency (slot due time, carried in the text, to each member's receipt), ack latency,
 * deliveries, losses, duplicates and order.
 */
final class FanoutScenario {
  private final Target target;
  private final Options options;
  private final LagMonitor lag;

  FanoutScenario(Target target, Options options, LagMonitor lag) {
    this.target = target;
    this.options = options;
    this.lag = lag;
  }

  static Result run(Target target, Options options, LagMonitor lag) {
    FanoutScenario scenario = new FanoutScenario(target, options, lag);
    Rooms rooms = Rooms.create(target, "fanout", options.clients(), options.roomSize());
    List<BridgeSocket> slowReaders = slowReaders(target, rooms, options.slowReaders());
    try {
      scenario.warmUp(rooms, options.periodMs());
      Step step = scenario.step(rooms, options.periodMs(), "f");
      if (slowReaders.isEmpty()) {
        return new Result("fanout", step.json, step.text);
      }
      // A paused socket does not see its connection end: they read again, and what they were sent drains.
      slowReaders.forEach(BridgeSocket::resumeReading);
      long until = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < until && !slowReaders.stream().allMatch(BridgeSocket::isClosed)) {
        Await.sleep(100);
      }
      long closed = slowReaders.stream().filter(BridgeSocket::isClosed).count();
      step.json.put("slowReaders", slowReaders.size()).put("slowReadersClosed", closed);
      return new Result("fanout", step.json, step.text + String.format(Locale.ROOT,
          "  slow readers: %d sockets that stopped reading, %d closed by the gateway by the end%n",
          slowReaders.size(), closed));
    } finally {
      slowReaders.forEach(BridgeSocket::close);
      rooms.close();
    }
  }

  /**
   * {@code n} more sockets, of members (room after room), in their rooms and then not reading: their events pile
   * up in the kernel's buffers and then the gateway's, as for a frozen tab, until the gateway closes them. They
   * keep pinging, and count in none of the measures: what they cost shows in the others' latency and the server's
   * CPU and memory.
   */
  static List<BridgeSocket> slowReaders(Target target, Rooms rooms, int n) {
    if (n == 0) {
      return List.of();
    }
    int roomCount = rooms.conversations.size();
    List<BridgeSocket> sockets = Await.all(n, 16, 30, j -> {
      int member = (j % roomCount) * rooms.roomSize + (j / roomCount) % rooms.roomSize;
      return target.connect(j, n, rooms.accounts.get(member).token())
          .compose(socket -> socket.enterRoom(rooms.conversationOf(member)).map(joined -> socket));
    });
    sockets.forEach(BridgeSocket::pauseReading);
    System.out.printf("  %d slow readers joined and stopped reading%n", n);
    return sockets;
  }

  /** One run's outcome: JSON, text, and whether the rate held (nothing lost, p99 within the limit). */
  record Step(JsonObject json, String text, boolean held, double sendRate, double deliveryRate) {}

  /** The same load for {@code --warmup} seconds, not reported: JIT, pools and the database get warm. */
  void warmUp(Rooms rooms, int periodMs) {
    if (options.warmupS() > 0) {
      System.out.printf("  warm-up: %d s%n", options.warmupS());
      step(rooms, periodMs, "w", options.warmupS());
    }
  }

  Step step(Rooms rooms, int periodMs, String runId) {
    return step(rooms, periodMs, runId, options.durationS());
  }

  Step step(Rooms rooms, int periodMs, String runId, int durationS) {
    int clients = rooms.sockets.size();
    DeliveryLedger ledger = new DeliveryLedger(rooms.roomSize);
    Latency endToEnd = new Latency();
    Latency ack = new Latency();
    Map<Integer, AtomicLong> failures = new ConcurrentHashMap<>();
    String run = runId + target.runTag + Long.toString(System.nanoTime() % 1_000_000, 36);

    for (int i = 0; i < clients; i++) {
      int receiver = i;
      rooms.sockets.get(i).onEvent(event -> {
        if (!"new_message".equals(event.getString("type"))) {
          return;
        }
        long now = System.nanoTime();
        MessageText text = MessageText.decode(event.getString("content"));
        if (text == null || !text.run().equals(run)) {
          return;
        }
        if (ledger.received(receiver, text.sender(), text.slot(), event.getLong("seq", -1L))
            == DeliveryLedger.Outcome.FIRST) {
          endToEnd.recordNanos(now - text.dueNanos());
        }
      });
    }

    RunProbes probes = new RunProbes(target, lag);
    probes.start();
    long periodNanos = periodMs * 1_000_000L;
    long start = System.nanoTime() + 200_000_000L;
    long end = start + durationS * 1_000_000_000L;
    for (int i = 0; i < clients; i++) {
      BridgeSocket socket = rooms.sockets.get(i);
      Schedule schedule = new Schedule(start + Schedule.offset(i, clients, periodNanos), periodNanos, end);
      Sender sender = new Sender(socket, schedule, i, rooms.conversationOf(i), run, ledger, ack, failures);
      socket.context().runOnContext(v -> sender.tick());
    }
    Await.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    // Late deliveries: wait until everything sent is acked and delivered, or the drain time is up.
    long drainUntil = System.nanoTime() + options.drainS() * 1_000_000_000L;
    while (System.nanoTime() < drainUntil) {
      DeliveryLedger.Totals t = ledger.totals();
      if (t.delivered() >= t.expected() && t.acked() + t.failed() >= t.sent()) {
        break;
      }
      Await.sleep(50);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    DeliveryLedger.Totals totals = ledger.totals();

    JsonObject json = new JsonObject()
        .put("clients", clients).put("roomSize", rooms.roomSize).put("periodMs", periodMs)
        .put("durationS", durationS)
        .put("offeredSendsPerSecond", options.sendRate(periodMs))
        .put("sent", totals.sent()).put("acked", totals.acked()).put("failed", totals.failed())
        .put("expectedDeliveries", totals.expected()).put("delivered", totals.delivered())
        .put("lost", totals.lost()).put("duplicates", totals.duplicates()).put("outOfOrder", totals.outOfOrder())
        .put("deliveriesPerSecond", totals.delivered() / (double) durationS)
        .put("endToEndLatency", endToEnd.toJson()).put("ackLatency", ack.toJson());
    JsonObject failureCodes = new JsonObject();
    failures.forEach((code, n) -> failureCodes.put(Integer.toString(code), n.get()));
    json.put("failureCodes", failureCodes);
    String probeText = probes.finish(json);
    boolean lagged = json.getJsonObject("loadToolLag").getBoolean("lagged");
    boolean held = totals.lost() == 0 && totals.failed() == 0 && totals.duplicates() == 0
        && endToEnd.percentileMs(99) <= options.p99LimitMs() && !lagged;
    json.put("held", held).put("measuredSeconds", seconds);

    String text = String.format(Locale.ROOT, """
          %d clients in rooms of %d, one send every %d ms each: %.1f sends/s offered for %d s
          sent %d, acked %d, failed %d %s
          deliveries: expected %d, received %d, lost %d, duplicates %d, out of order %d; %.0f deliveries/s
          end-to-end: %s
          ack:        %s
        """, clients, rooms.roomSize, periodMs, options.sendRate(periodMs), durationS, totals.sent(),
        totals.acked(), totals.failed(), failureCodes.isEmpty() ? "" : failureCodes.encode(), totals.expected(),
        totals.delivered(), totals.lost(), totals.duplicates(), totals.outOfOrder(),
        totals.delivered() / (double) durationS, endToEnd.summary(), ack.summary()) + probeText;
    return new Step(json, text, held, options.sendRate(periodMs), totals.delivered() / (double) durationS);
  }

  /** One client's open-loop sender, on its socket's event loop. */
  private final class Sender {
    private final BridgeSocket socket;
    private final Schedule schedule;
    private final int index;
    private final String conversationId;
    private final String run;
    private final DeliveryLedger ledger;
    private final Latency ack;
    private final Map<Integer, AtomicLong> failures;

    Sender(BridgeSocket socket, Schedule schedule, int index, String conversationId, String run, DeliveryLedger ledger,
        Latency ack, Map<Integer, AtomicLong> failures) {
      this.socket = socket;
      this.schedule = schedule;
      this.index = index;
      this.conversationId = conversationId;
      this.run = run;
      this.ledger = ledger;
      this.ack = ack;
      this.failures = failures;
    }

    void tick() {
      int due = schedule.takeDue(System.nanoTime());
      long first = schedule.nextSlot() - due;
      for (long slot = first; slot < schedule.nextSlot(); slot++) {
        send(slot);
      }
      long delay = schedule.delayToNext(System.nanoTime());
      if (delay >= 0) {
        // Timers are whole milliseconds: wake at the due millisecond, never before it.
        target.vertx.setTimer(Math.max(1, (delay + 999_999) / 1_000_000), id -> tick());
      }
    }

    private void send(long slot) {
      long due = schedule.dueTime(slot);
      String text = new MessageText(run, index, slot, due).encode();
      JsonObject body = new JsonObject().put("conversationId", conversationId).put("text", text)
          .put("clientMsgId", run + "-" + index + "-" + slot);
      ledger.sent();
      socket.request("client.chat.send", body).onComplete(reply -> {
        if (reply.succeeded()) {
          ack.recordNanos(System.nanoTime() - due);
          ledger.acked();
        } else {
          ledger.failed();
          int code = reply.cause() instanceof BridgeError e ? e.code : -1;
          failures.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }
      });
    }
  }
}
