package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seq assignment under contention from two storage nodes: each "node" is its own Vert.x instance with
 * its own pool on the same database, and every append is in flight at once.
 */
class AppendConcurrencyIT {
  private static final int SENDERS = 8;
  private static final int PER_SENDER = 50;

  private static final TestDatabase db = TestDatabase.fresh();
  private static final List<Vertx> nodes = new ArrayList<>();
  private static final List<Pool> pools = new ArrayList<>();
  private static final List<MessageRepository> repositories = new ArrayList<>();
  private static ConversationRepository conversations;
  private static UserRepository users;

  @BeforeAll
  static void setUp() {
    for (int i = 0; i < 2; i++) {
      Vertx vertx = Vertx.vertx();
      // Both nodes bootstrap, as two storage services starting together would.
      Pool pool = StorageFixtures.migratedPool(vertx, db);
      nodes.add(vertx);
      pools.add(pool);
      repositories.add(new MessageRepository(pool));
    }
    users = new UserRepository(pools.get(0));
    conversations = new ConversationRepository(pools.get(1));
  }

  @AfterAll
  static void tearDown() throws Exception {
    pools.forEach(pool -> await(pool.close()));
    nodes.forEach(vertx -> await(vertx.close()));
    db.drop();
  }

  @Test
  void concurrentSendersFromTwoNodesGetGapFreeUniqueSeqs() {
    List<UserInfo> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(await(users.createUser(new CreateUser("sender-" + i + "-" + UUID.randomUUID(), "h"))));
    }
    ConversationInfo c = await(conversations.createConversation(new CreateConversation(senders.get(0).userId(),
        "busy", senders.stream().map(UserInfo::username).toList())));

    List<Future<AppendResult>> sends = new ArrayList<>();
    for (int j = 0; j < PER_SENDER; j++) {
      for (int i = 0; i < SENDERS; i++) {
        MessageRepository node = repositories.get((i + j) % 2);
        sends.add(node.append(AppendMessage.user(c.conversationId(), senders.get(i).userId(), "m" + j, i + "-" + j)));
      }
    }
    await(Future.all(sends));

    int total = SENDERS * PER_SENDER;
    List<Long> seqs = sends.stream().map(f -> f.result().message().seq()).sorted().toList();
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(sends).allSatisfy(f -> assertThat(f.result().duplicate()).isFalse());

    HistoryPage stored = await(repositories.get(0).history(
        HistoryQuery.internal(c.conversationId(), 0L, null, HistoryQuery.MAX_LIMIT)));
    assertThat(stored.messages()).hasSize(total);
    assertThat(stored.messages()).extracting(StoredMessage::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(stored.messages()).extracting(StoredMessage::messageId).doesNotHaveDuplicates();
    assertThat(stored.lastSeq()).isEqualTo(total);
  }

  @Test
  void concurrentResendsFromTwoNodesStoreOneRow() {
    UserInfo alice = await(users.createUser(new CreateUser("alice-" + UUID.randomUUID(), "h")));
    ConversationInfo c = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "resends", List.of())));
    await(repositories.get(0).append(AppendMessage.user(c.conversationId(), alice.userId(), "before", "b")));

    List<Future<AppendResult>> resends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      resends.add(repositories.get(i % 2).append(
          AppendMessage.user(c.conversationId(), alice.userId(), "same", "retry-me")));
    }
    await(Future.all(resends));

    List<AppendResult> results = resends.stream().map(Future::result).toList();
    assertThat(results).extracting(r -> r.message().messageId()).containsOnly(results.get(0).message().messageId());
    assertThat(results).extracting(r -> r.message().seq()).containsOnly(2L);
    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);

    HistoryPage stored = await(repositories.get(1).history(
        HistoryQuery.forMember(c.conversationId(), alice.userId(), 0L, null, 50)));
    assertThat(stored.messages()).extracting(StoredMessage::content).containsExactly("before", "same");
    assertThat(stored.lastSeq()).isEqualTo(2);
    // The losing attempts rolled back their seq: the next message follows without a gap.
    assertThat(await(repositories.get(1).append(
        AppendMessage.user(c.conversationId(), alice.userId(), "after", "a"))).message().seq()).isEqualTo(3);
  }

  @Test
  void onePendingBatchStoresEachConversationsMessagesInOrderAndRefusesOnlyWhatItMust() {
    UserInfo alice = await(users.createUser(new CreateUser("alice-" + UUID.randomUUID(), "h")));
    UserInfo bob = await(users.createUser(new CreateUser("bob-" + UUID.randomUUID(), "h")));
    UserInfo eve = await(users.createUser(new CreateUser("eve-" + UUID.randomUUID(), "h")));
    ConversationInfo both = conversation(alice, bob);
    ConversationInfo alicesOnly = conversation(alice);
    ConversationInfo held = conversation(alice);
    MessageRepository repository = new MessageRepository(pools.get(0), pools.get(0), 1, 100);

    List<Future<AppendResult>> batch = whileConversationIsLocked(held, repository, () -> List.of(
        repository.append(AppendMessage.user(both.conversationId(), alice.userId(), "a1", "a1")),
        repository.append(AppendMessage.user(both.conversationId(), bob.userId(), "b1", "b1")),
        repository.append(AppendMessage.user(alicesOnly.conversationId(), alice.userId(), "x1", null)),
        repository.append(AppendMessage.user(both.conversationId(), eve.userId(), "spam", "e1")),
        repository.append(AppendMessage.user(UUID.randomUUID().toString(), alice.userId(), "lost", "u1")),
        repository.append(AppendMessage.user(both.conversationId(), alice.userId(), "a2", "a2"))));

    assertThat(batch.get(0).result().message().seq()).isEqualTo(1);
    assertThat(batch.get(1).result().message().seq()).isEqualTo(2);
    assertThat(batch.get(2).result().message().seq()).isEqualTo(1);
    assertThat(((ChorusException) batch.get(3).cause()).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(((ChorusException) batch.get(4).cause()).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(batch.get(5).result().message().seq()).isEqualTo(3);
    assertThat(batch.get(1).result().message().username()).isEqualTo(bob.username());
    assertThat(contents(both, alice)).containsExactly("a1", "b1", "a2");
    assertThat(contents(alicesOnly, alice)).containsExactly("x1");
    assertThat(repository.waitingAppends()).isZero();
  }

  @Test
  void aResendInsideABatchAnswersTheFirstMessageAndCostsTheOthersNothing() {
    UserInfo alice = await(users.createUser(new CreateUser("alice-" + UUID.randomUUID(), "h")));
    ConversationInfo c = conversation(alice);
    ConversationInfo held = conversation(alice);
    MessageRepository repository = new MessageRepository(pools.get(0), pools.get(0), 1, 100);
    StoredMessage old = await(repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "old", "old")))
        .message();

    List<Future<AppendResult>> batch = whileConversationIsLocked(held, repository, () -> List.of(
        repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "new", "n1")),
        repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "old", "old")),
        repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "new again", "n1"))));

    assertThat(batch.get(0).result().duplicate()).isFalse();
    assertThat(batch.get(0).result().message().seq()).isEqualTo(2);
    assertThat(batch.get(1).result().duplicate()).isTrue();
    assertThat(batch.get(1).result().message()).isEqualTo(old);
    assertThat(batch.get(2).result().duplicate()).isTrue();
    assertThat(batch.get(2).result().message()).isEqualTo(batch.get(0).result().message());
    assertThat(contents(c, alice)).containsExactly("old", "new");
  }

  @Test
  void aValueTheDatabaseRefusesFailsOnlyItsOwnMessageInABatch() {
    UserInfo alice = await(users.createUser(new CreateUser("alice-" + UUID.randomUUID(), "h")));
    UserInfo bob = await(users.createUser(new CreateUser("bob-" + UUID.randomUUID(), "h")));
    ConversationInfo c = conversation(alice, bob);
    ConversationInfo held = conversation(alice);
    MessageRepository repository = new MessageRepository(pools.get(0), pools.get(0), 1, 100);

    List<Future<AppendResult>> batch = whileConversationIsLocked(held, repository, () -> List.of(
        repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "before", "p1")),
        repository.append(AppendMessage.user(c.conversationId(), bob.userId(), "nul \u0000 inside", "p2")),
        repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "after", "p3"))));

    assertThat(((ChorusException) batch.get(1).cause()).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(batch.get(0).result().message().seq()).isEqualTo(1);
    assertThat(batch.get(2).result().message().seq()).isEqualTo(2);
    assertThat(contents(c, alice)).containsExactly("before", "after");
  }

  /**
   * Holds {@code held}'s row lock, so a first append there keeps the repository's only batch slot busy
   * while {@code appends} queue up behind it; then lets go, so they are written as one batch.
   */
  private static List<Future<AppendResult>> whileConversationIsLocked(ConversationInfo held,
      MessageRepository repository, Supplier<List<Future<AppendResult>>> appends) {
    var connection = await(pools.get(1).getConnection());
    try {
      var tx = await(connection.begin());
      await(connection.query("SELECT 1 FROM conversations WHERE id = '" + held.conversationId() + "' FOR UPDATE")
          .execute());
      Future<AppendResult> blocked = repository.append(
          AppendMessage.user(held.conversationId(), held.ownerId(), "first", null));
      List<Future<AppendResult>> queued = appends.get();
      assertThat(repository.waitingAppends()).as("all wait for one batch").isEqualTo(queued.size());
      await(tx.commit());
      await(blocked);
      await(Future.join(queued).otherwiseEmpty());
      return queued;
    } finally {
      await(connection.close());
    }
  }

  private static ConversationInfo conversation(UserInfo owner, UserInfo... others) {
    return await(conversations.createConversation(new CreateConversation(owner.userId(), "batch",
        Arrays.stream(others).map(UserInfo::username).toList())));
  }

  private static List<String> contents(ConversationInfo c, UserInfo reader) {
    return await(repositories.get(1).history(HistoryQuery.forMember(c.conversationId(), reader.userId(), 0L, null, 50)))
        .messages().stream().map(StoredMessage::content).toList();
  }

  @Test
  void beyondThePoolQueueAppendsAreRefusedWith503AndEveryAcknowledgedOneIsStoredGapFree() {
    // One connection and two waiters: a burst far past that must be shed at once, not queued.
    StorageConfig tight = new StorageConfig(db.uri(), 1, 2, StorageConfig.DEFAULT_FILES_DIR,
        StorageConfig.DEFAULT_MAX_UPLOAD_BYTES, StorageConfig.DEFAULT_FILE_IDLE_MS);
    Pool pool = tight.newPool(nodes.get(0));
    Pool answers = tight.newAnswersPool(nodes.get(0));
    try {
      MessageRepository repository = new MessageRepository(pool, answers, tight.appendBatches(), tight.poolQueue());
      UserInfo alice = await(users.createUser(new CreateUser("alice-" + UUID.randomUUID(), "h")));
      ConversationInfo c = await(conversations.createConversation(
          new CreateConversation(alice.userId(), "burst", List.of())));
      List<Future<AppendResult>> burst = new ArrayList<>();
      Future<AppendResult> answer = null;
      for (int i = 0; i < 200; i++) {
        burst.add(repository.append(AppendMessage.user(c.conversationId(), alice.userId(), "m" + i, "b" + i)));
        if (i == 100) {
          // An answer finishing mid-burst has its own connections: it is stored, not refused.
          answer = repository.append(AppendMessage.assistant(c.conversationId(), null, "s1", "the answer", FinishReason.STOP,
              new Usage(1, 2, false)));
        }
      }
      await(Future.join(burst).otherwiseEmpty());
      assertThat(await(answer).message().content()).isEqualTo("the answer");

      List<Future<AppendResult>> refused = burst.stream().filter(Future::failed).toList();
      assertThat(refused).as("the burst overflowed the queue").isNotEmpty();
      assertThat(refused).allSatisfy(f -> assertThat(((ChorusException) f.cause()).code())
          .isEqualTo(ErrorCode.UNAVAILABLE));
      List<String> acknowledged = new ArrayList<>(burst.stream().filter(Future::succeeded)
          .map(f -> f.result().message().content()).toList());
      acknowledged.add("the answer");
      assertThat(acknowledged).isNotEmpty();

      HistoryPage stored = await(repositories.get(1).history(
          HistoryQuery.forMember(c.conversationId(), alice.userId(), 0L, null, 500)));
      assertThat(stored.messages()).extracting(StoredMessage::content)
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(stored.messages()).extracting(StoredMessage::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, acknowledged.size()).boxed().toList());
    } finally {
      await(pool.close());
      await(answers.close());
    }
  }
}
