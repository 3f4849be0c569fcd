package io.chorus.chat;

import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.limits.SharedRateLimiter;
import io.chorus.model.ops.Meters;
import io.chorus.model.ops.NodeOps;
import io.micrometer.core.instrument.MeterRegistry;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import java.util.Objects;

/**
 * The chat service: {@code chat.message.send}, {@code chat.typing.update}, {@code chat.history.get},
 * {@code chat.answer.regenerate} and {@code chat.stream.stop}. It publishes room events on {@code conv.<id>.events} and ends the streams of
 * LLM workers that died.
 */
public final class ChatVerticle extends VerticleBase {
  /** Readiness: the storage service answers (a chat node can do nothing without it). */
  private static final String READY_CHECK = "chat.storage";
  private static final long READY_CHECK_MS = 2_000;
  private static final long EVICT_IDLE_LIMITS_MS = 60_000;
  /** Message tokens a node holds for a user go back to the user's cluster bucket after about a second unused. */
  private static final long EVICT_IDLE_GRANTS_MS = 1_000;
  /** With the workers' 8 s leases, a dead worker's streams end within about 10 s. */
  private static final long ORPHAN_SCAN_MS = 1_000;

  private final ChatConfig config;

  /** Its settings, read (and checked) by whoever deploys it, before it joins the cluster. */
  public ChatVerticle(ChatConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    ChatService chat = new ChatService(config, new BusChatPorts(bus), new SharedDataStreamRegistry(vertx),
        SharedRateLimiter.of(vertx), System::nanoTime);
    vertx.setPeriodic(EVICT_IDLE_LIMITS_MS, id -> chat.evictIdleLimits());
    vertx.setPeriodic(EVICT_IDLE_GRANTS_MS, id -> chat.evictIdleGrants());
    // Every chat node watches; claiming a stream in the registry lets only one of them end it.
    vertx.setPeriodic(ORPHAN_SCAN_MS, id -> chat.endOrphanedStreams());

    MeterRegistry meters = NodeOps.of(vertx).meters();
    NodeOps.of(vertx).addReadinessCheck(READY_CHECK, READY_CHECK_MS,
        () -> Bus.request(bus, Addresses.STORAGE_HEALTH_CHECK, Ack.INSTANCE));
    return Future.all(
        Bus.consume(bus, Addresses.CHAT_MESSAGE_SEND, Meters.timed(meters, "chorus.chat.send",
            "messages sent by users (stored and announced, or refused with the outcome's code)", chat::send))
            .completion(),
        Bus.consume(bus, Addresses.CHAT_TYPING_UPDATE, req -> chat.typing(req).map(Ack.INSTANCE))
            .completion(),
        Bus.consume(bus, Addresses.CHAT_HISTORY_GET, chat::history).completion(),
        Bus.consume(bus, Addresses.CHAT_ANSWER_REGENERATE, chat::regenerate).completion(),
        Bus.consume(bus, Addresses.CHAT_STREAM_STOP, chat::stop).completion());
  }

  @Override
  public Future<?> stop() {
    NodeOps.of(vertx).readiness().unregister(READY_CHECK);
    return Future.succeededFuture();
  }
}
