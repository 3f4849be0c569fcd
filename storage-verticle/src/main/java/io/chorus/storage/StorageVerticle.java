package io.chorus.storage;

import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ops.Meters;
import io.chorus.model.ops.NodeOps;
import io.chorus.model.ops.NodeStatusBoard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.chorus.model.events.PersonalEvent;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage service: owns the PostgreSQL database and answers every {@code storage.*} address of
 * {@link Addresses} (user create/find, conversation create/list/get, member add/check, message
 * append/history, health check; admin audit, suspensions, announcements, database state), and the file
 * addresses of {@code FileAddresses} ({@link FileService}).
 * Any number of storage verticles may run, on any nodes: per-conversation ordering is decided in the
 * database, not here.
 */
public final class StorageVerticle extends VerticleBase {
  /** A readiness probe waits this long for the database before it reports it down. */
  private static final long READY_CHECK_MS = 2_000;
  private static final Logger log = LoggerFactory.getLogger(StorageVerticle.class);

  private final StorageConfig config;
  private Pool pool;
  private Pool answersPool;
  private FileStore files;

  /** Its settings, read (and checked) by whoever deploys it, before it joins the cluster. */
  public StorageVerticle(StorageConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Future<?> start() {
    return DatabaseBootstrap.prepare(vertx, config).compose(v -> {
      pool = config.newPool(vertx);
      answersPool = config.newAnswersPool(vertx);
      MeterRegistry meters = NodeOps.of(vertx).meters();
      HealthRepository health = new HealthRepository(pool);
      NodeOps.of(vertx).addReadinessCheck("storage.database", READY_CHECK_MS, health::ping);
      MessageRepository messages = new MessageRepository(pool, answersPool, config.appendBatches(),
          config.poolQueue());
      Gauge.builder("chorus.storage.append.waiting", messages, MessageRepository::waitingAppends)
          .description("users' messages waiting for the next group commit").strongReference(true).register(meters);
      List<MessageConsumer<JsonObject>> consumers = consumers(vertx.eventBus(), pool, messages, health, meters);
      NodeStatusBoard.start(vertx, NodeStatusBoard.STORAGE, () -> new JsonObject().put("poolSize", config.poolSize())
          .put("appendsWaiting", messages.waitingAppends()).put("draining", NodeOps.of(vertx).draining()));
      // Reachable means registered cluster-wide, not merely registered locally.
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
          .compose(all -> FileService.start(vertx, config, pool))
          .onSuccess(store -> files = store)
          .onSuccess(all -> log.info("storage ready: {} addresses, pool of {}", consumers.size(), config.poolSize()));
    });
  }

  private static List<MessageConsumer<JsonObject>> consumers(EventBus bus, Pool pool, MessageRepository messages,
      HealthRepository health, MeterRegistry meters) {
    UserRepository users = new UserRepository(pool);
    ConversationRepository conversations = new ConversationRepository(pool);
    UsageRepository usage = new UsageRepository(pool);
    AdminRepository admin = new AdminRepository(pool);
    return List.of(
        Bus.consume(bus, Addresses.STORAGE_USER_CREATE, users::createUser),
        Bus.consume(bus, Addresses.STORAGE_USER_FIND, users::findUser),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_CREATE, conversations::createConversation),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_LIST, conversations::listConversations),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_GET, conversations::getConversation),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_VIEW, conversations::viewConversation),
        Bus.consume(bus, Addresses.STORAGE_MEMBER_ADD, conversations::addMember),
        Bus.consume(bus, Addresses.STORAGE_MEMBER_CHECK, conversations::checkMember),
        // Published here, once committed, so every device of the member hears it whoever asked.
        Bus.consume(bus, Addresses.STORAGE_MEMBER_READ, request -> conversations.markRead(request)
            .onSuccess(marker -> {
              if (marker.moved()) {
                bus.publish(Addresses.PERSONAL_EVENTS, new PersonalEvent(request.userId(),
                    RoomEvents.readMarker(marker.conversationId(), marker.lastReadSeq())).toJson());
              }
            })),
        Bus.consume(bus, Addresses.STORAGE_MEMBER_REMOVE,
            request -> conversations.removeMember(request).onSuccess(removed -> announce(bus, request, removed))),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_ASSISTANT_SET, request -> conversations.setAssistant(request)
            .onSuccess(changed -> bus.publish(Addresses.conversationEvents(request.conversationId()),
                changed.notice().toEvent()))),
        Bus.consume(bus, Addresses.STORAGE_CONVERSATION_SETTINGS_SET, request -> conversations.setSettings(request)
            .onSuccess(changed -> bus.publish(Addresses.conversationEvents(request.conversationId()),
                changed.notice().toEvent()))),
        Bus.consume(bus, Addresses.STORAGE_MESSAGE_APPEND, Meters.timed(meters, "chorus.storage.append",
            "messages persisted (seq assigned in the insert's transaction)", messages::append)),
        Bus.consume(bus, Addresses.STORAGE_MESSAGE_GET, messages::get),
        Bus.consume(bus, Addresses.STORAGE_MESSAGE_HISTORY, Meters.timed(meters, "chorus.storage.history",
            "history pages read", messages::history)),
        Bus.consume(bus, Addresses.STORAGE_USAGE_TOTALS, usage::totals),
        Bus.consume(bus, Addresses.STORAGE_HEALTH_CHECK, ack -> health.ping()),
        Bus.consume(bus, Addresses.STORAGE_ADMIN_AUDIT, admin::audit),
        Bus.consume(bus, Addresses.STORAGE_USER_SUSPEND, admin::setSuspended),
        Bus.consume(bus, Addresses.STORAGE_USER_SUSPENDED, ack -> admin.suspended()),
        Bus.consume(bus, Addresses.STORAGE_ANNOUNCEMENT_CREATE, admin::announce),
        Bus.consume(bus, Addresses.STORAGE_ANNOUNCEMENT_LIST, admin::announcements),
        Bus.consume(bus, Addresses.STORAGE_DATABASE_STATE, ack -> admin.databaseState()));
  }

  /**
   * Published here, once committed, like an uploaded file's message: whoever asked may not hear the reply (a
   * timeout), and the room and the person must hear it all the same.
   */
  private static void announce(EventBus bus, RemoveMember request, MemberRemoved removed) {
    bus.publish(Addresses.conversationEvents(request.conversationId()), removed.notice().toEvent());
    bus.publish(Addresses.PERSONAL_EVENTS, new PersonalEvent(request.userId(),
        RoomEvents.conversationRemoved(request.conversationId(), request.actorId(), request.actorUsername())).toJson());
  }

  @Override
  public Future<?> stop() {
    // Consumers are unregistered by undeploy itself; the readiness check and the pool are ours.
    NodeOps.of(vertx).readiness().unregister("storage.database");
    return Future.join(pool == null ? Future.succeededFuture() : pool.close(),
        answersPool == null ? Future.succeededFuture() : answersPool.close(),
        files == null ? Future.succeededFuture() : files.close()).mapEmpty();
  }
}
