package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ErrorCode;
import io.chorus.model.cluster.ClusterNode;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verticle on one clustered node, its callers on another: every request and every failure code
 * crosses the cluster, as between the storage service and the chat service or gateway.
 */
class StorageVerticleIT {
  private static final TestDatabase db = TestDatabase.fresh();
  private static Vertx storageNode;
  private static Vertx clientNode;
  private static EventBus bus;

  @BeforeAll
  static void setUp() throws Exception {
    int basePort = ThreadLocalRandom.current().nextInt(20_000, 40_000 - 100);
    // Ranges expanded: Hazelcast 5.3.8 cannot parse the port range loopback() puts in its members.
    ClusterSettings cluster = ClusterSettings.loopback("storage-it-" + UUID.randomUUID(), basePort);
    storageNode = ClusterNode.start(cluster).await(60, TimeUnit.SECONDS);
    clientNode = ClusterNode.start(cluster).await(60, TimeUnit.SECONDS);
    storageNode.deployVerticle(new StorageVerticle(StorageFixtures.config(db))).await(60, TimeUnit.SECONDS);
    bus = clientNode.eventBus();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (clientNode != null) {
      clientNode.close().await(30, TimeUnit.SECONDS);
    }
    if (storageNode != null) {
      storageNode.close().await(30, TimeUnit.SECONDS);
    }
    db.drop();
  }

  @Test
  void appendAndHistoryRoundTripAcrossTheCluster() {
    await(Bus.request(bus, Addresses.STORAGE_HEALTH_CHECK, Ack.INSTANCE));
    UserInfo alice = createUser("alice");
    UserInfo bob = createUser("bob");
    ConversationInfo c = await(Bus.request(bus, Addresses.STORAGE_CONVERSATION_CREATE,
        new CreateConversation(alice.userId(), "cluster", List.of(bob.username()))));
    assertThat(c.members()).containsExactly(alice, bob);

    AppendResult sent = await(Bus.request(bus, Addresses.STORAGE_MESSAGE_APPEND,
        AppendMessage.user(c.conversationId(), bob.userId(), "hello over the wire", "m-1")));
    assertThat(sent.message().seq()).isEqualTo(1);
    assertThat(sent.message().username()).isEqualTo(bob.username());
    AppendResult resent = await(Bus.request(bus, Addresses.STORAGE_MESSAGE_APPEND,
        AppendMessage.user(c.conversationId(), bob.userId(), "hello over the wire", "m-1")));
    assertThat(resent.duplicate()).isTrue();
    assertThat(resent.message()).isEqualTo(sent.message());

    HistoryPage page = await(Bus.request(bus, Addresses.STORAGE_MESSAGE_HISTORY,
        HistoryQuery.forMember(c.conversationId(), alice.userId(), 0L, null, HistoryQuery.DEFAULT_LIMIT)));
    assertThat(page.messages()).containsExactly(sent.message());
    assertThat(page.lastSeq()).isEqualTo(1);
  }

  @Test
  void failuresArriveWithTheirContractCode() {
    UserInfo owner = createUser("owner");
    UserInfo eve = createUser("eve");
    ConversationInfo c = await(Bus.request(bus, Addresses.STORAGE_CONVERSATION_CREATE,
        new CreateConversation(owner.userId(), "private", List.of())));

    var forbidden = failure(Bus.request(bus, Addresses.STORAGE_MESSAGE_APPEND,
        AppendMessage.user(c.conversationId(), eve.userId(), "let me in", "x")));
    assertThat(forbidden.code()).isEqualTo(ErrorCode.FORBIDDEN);
    var notFound = failure(Bus.request(bus, Addresses.STORAGE_CONVERSATION_GET,
        new MemberRef(UUID.randomUUID().toString(), owner.userId())));
    assertThat(notFound.code()).isEqualTo(ErrorCode.NOT_FOUND);
    var conflict = failure(Bus.request(bus, Addresses.STORAGE_USER_CREATE, new CreateUser(owner.username(), "h")));
    assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);

    // A body that does not decode is refused by the consumer with 400, before any SQL.
    Throwable raw = catchThrowable(() ->
        await(bus.request(Addresses.STORAGE_MESSAGE_APPEND.address(), new JsonObject().put("role", 1))));
    assertThat(raw).isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  private static UserInfo createUser(String prefix) {
    return await(Bus.request(bus, Addresses.STORAGE_USER_CREATE,
        new CreateUser(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), "hash")));
  }
}
