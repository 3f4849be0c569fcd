package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AddMember;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UserRef;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repositories against a real, freshly created and migrated database; no event bus. */
class RepositoryIT {
  private static final TestDatabase db = TestDatabase.fresh();
  private static Vertx vertx;
  private static Pool pool;
  private static UserRepository users;
  private static ConversationRepository conversations;
  private static MessageRepository messages;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    await(DatabaseBootstrap.prepare(vertx, StorageFixtures.config(db)));
    // A second run finds the database and the schema in place and changes nothing.
    await(DatabaseBootstrap.prepare(vertx, StorageFixtures.config(db)));
    pool = StorageFixtures.config(db).newPool(vertx);
    users = new UserRepository(pool);
    conversations = new ConversationRepository(pool);
    messages = new MessageRepository(pool);
  }

  @AfterAll
  static void tearDown() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.drop();
  }

  // ---- users

  @Test
  void createsAndFindsUsers() {
    String name = unique("alice");
    UserInfo created = await(users.createUser(new CreateUser(name, "hash-1")));
    assertThat(UUID.fromString(created.userId())).isNotNull();
    assertThat(created.username()).isEqualTo(name);

    var found = await(users.findUser(new FindUser(name)));
    assertThat(found.userId()).isEqualTo(created.userId());
    assertThat(found.passwordHash()).isEqualTo("hash-1");
  }

  @Test
  void duplicateUsernameIsConflict() {
    String name = unique("bob");
    await(users.createUser(new CreateUser(name, "h")));
    var err = failure(users.createUser(new CreateUser(name, "other")));
    assertThat(err.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(err.getMessage()).isEqualTo("username taken");
    assertThat(await(users.findUser(new FindUser(name))).passwordHash()).isEqualTo("h");
  }

  @Test
  void aNameIsUniqueAndFoundWithoutRegardToCase() {
    String name = unique("Carol");
    UserInfo carol = await(users.createUser(new CreateUser(name, "h")));
    var taken = failure(users.createUser(new CreateUser(name.toLowerCase(), "other")));
    assertThat(taken.code()).as("the same name in another case").isEqualTo(ErrorCode.CONFLICT);

    var found = await(users.findUser(new FindUser(name.toUpperCase())));
    assertThat(found.userId()).isEqualTo(carol.userId());
    assertThat(found.username()).as("as it was registered").isEqualTo(name);

    UserInfo owner = user("owner");
    ConversationInfo c = await(conversations.createConversation(
        new CreateConversation(owner.userId(), "t", List.of(name.toUpperCase()))));
    assertThat(c.members()).containsExactly(owner, carol);
  }

  @Test
  void unknownUserIsNotFound() {
    assertThat(failure(users.findUser(new FindUser(unique("nobody")))).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  // ---- conversations

  @Test
  void createsConversationWithOwnerAndMembers() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    UserInfo carol = user("carol");
    ConversationInfo info = await(conversations.createConversation(new CreateConversation(
        owner.userId(), "plans", List.of(bob.username(), carol.username(), bob.username(), owner.username()))));

    assertThat(info.title()).isEqualTo("plans");
    assertThat(info.ownerId()).isEqualTo(owner.userId());
    assertThat(info.lastSeq()).isZero();
    assertThat(Instant.parse(info.lastActivityAt())).isNotNull();
    assertThat(info.members()).first().isEqualTo(owner);
    assertThat(info.members()).containsExactlyInAnyOrder(owner, bob, carol);
  }

  @Test
  void unknownMemberFailsTheWholeCreate() {
    UserInfo owner = user("owner");
    String ghost = unique("ghost");
    var err = failure(conversations.createConversation(
        new CreateConversation(owner.userId(), "t", List.of(user("bob").username(), ghost))));
    assertThat(err.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(err.getMessage()).isEqualTo("no such user: " + ghost);
    assertThat(await(conversations.listConversations(new UserRef(owner.userId()))).conversations()).isEmpty();
  }

  @Test
  void unknownOwnerIsNotFound() {
    var err = failure(conversations.createConversation(
        new CreateConversation(UUID.randomUUID().toString(), "t", List.of())));
    assertThat(err.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void listsNewestActivityFirst() {
    UserInfo me = user("me");
    ConversationInfo first = conversation(me, "first");
    ConversationInfo second = conversation(me, "second");
    assertThat(titlesOf(me)).containsExactly("second", "first");

    await(messages.append(AppendMessage.user(first.conversationId(), me.userId(), "hi", "c1")));
    assertThat(titlesOf(me)).containsExactly("first", "second");
    assertThat(await(conversations.listConversations(new UserRef(me.userId()))).conversations().get(0).lastSeq())
        .isEqualTo(1);
    assertThat(await(conversations.listConversations(new UserRef(user("loner").userId()))).conversations()).isEmpty();
    assertThat(second.lastSeq()).isZero();
  }

  @Test
  void getIsForMembersOnly() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    ConversationInfo c = conversation(owner, "t", bob);
    assertThat(await(conversations.getConversation(new MemberRef(c.conversationId(), bob.userId()))))
        .as("as nobody in particular sees it").usingRecursiveComparison().ignoringFields("viewer").isEqualTo(c);
    assertThat(failure(conversations.getConversation(new MemberRef(c.conversationId(), user("eve").userId()))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.getConversation(new MemberRef(UUID.randomUUID().toString(), owner.userId())))
        .code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void onlyTheOwnerAddsMembersAndTwiceIsHarmless() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    UserInfo carol = user("carol");
    ConversationInfo c = conversation(owner, "t", bob);

    var denied = failure(conversations.addMember(new AddMember(c.conversationId(), bob.userId(), carol.username())));
    assertThat(denied.code()).isEqualTo(ErrorCode.FORBIDDEN);

    ConversationInfo added = await(conversations.addMember(
        new AddMember(c.conversationId(), owner.userId(), carol.username())));
    assertThat(added.members()).containsExactly(owner, bob, carol);
    ConversationInfo again = await(conversations.addMember(
        new AddMember(c.conversationId(), owner.userId(), carol.username())));
    assertThat(again.members()).containsExactly(owner, bob, carol);

    assertThat(failure(conversations.addMember(new AddMember(c.conversationId(), owner.userId(), unique("ghost"))))
        .code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(conversations.addMember(
        new AddMember(UUID.randomUUID().toString(), owner.userId(), carol.username()))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void theOwnerRemovesAMemberWithANoticeThatTakesTheNextSeq() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    UserInfo carol = user("carol");
    ConversationInfo c = conversation(owner, "t", bob, carol);
    await(messages.append(AppendMessage.user(c.conversationId(), owner.userId(), "before", "m-1")));

    assertThat(failure(conversations.removeMember(remove(c, bob, carol))).code())
        .as("a member removes another").isEqualTo(ErrorCode.FORBIDDEN);
    MemberRemoved removed = await(conversations.removeMember(remove(c, owner, bob)));

    assertThat(removed.conversation().members()).containsExactly(owner, carol);
    StoredMessage notice = removed.notice();
    assertThat(notice.seq()).isEqualTo(2);
    assertThat(notice.role()).isEqualTo(StoredMessage.ROLE_NOTICE);
    JsonObject event = notice.toEvent();
    assertThat(event.getString("type")).isEqualTo("member_removed");
    assertThat(event.getString("userId")).isEqualTo(bob.userId());
    assertThat(event.getString("username")).isEqualTo(bob.username());
    assertThat(event.getJsonObject("removedBy")).isEqualTo(
        new JsonObject().put("userId", owner.userId()).put("username", owner.username()));
    assertThat(history(c, 0L, null, 10).messages()).extracting(StoredMessage::toEvent).last().isEqualTo(event);

    assertThat(failure(conversations.checkMember(new MemberRef(c.conversationId(), bob.userId()))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(messages.append(AppendMessage.user(c.conversationId(), bob.userId(), "still here?", "b-1")))
        .code()).as("a removed member's send").isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.removeMember(remove(c, owner, bob))).code())
        .as("removing someone who is not a member").isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(conversations.removeMember(remove(c, bob, bob))).code())
        .as("a former member leaving again").isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(history(c, 0L, null, 10).lastSeq()).as("refusals take no seq").isEqualTo(2);
  }

  @Test
  void aMemberLeavesAndAnOwnerWhoLeavesHandsTheConversationToTheLongestMember() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    UserInfo carol = user("carol");
    ConversationInfo c = conversation(owner, "t", bob, carol);

    MemberRemoved left = await(conversations.removeMember(remove(c, carol, carol)));
    assertThat(left.notice().toEvent().getString("type")).isEqualTo("member_left");
    assertThat(left.notice().toEvent().containsKey("removedBy")).isFalse();
    assertThat(left.conversation().members()).containsExactly(owner, bob);
    assertThat(titlesOf(carol)).doesNotContain("t");

    MemberRemoved ownerLeft = await(conversations.removeMember(remove(c, owner, owner)));
    assertThat(ownerLeft.notice().seq()).isEqualTo(2);
    assertThat(ownerLeft.conversation().ownerId()).isEqualTo(bob.userId());
    assertThat(ownerLeft.notice().toEvent().getString("ownerId")).as("the notice says who owns it now")
        .isEqualTo(bob.userId());
    assertThat(ownerLeft.conversation().members()).containsExactly(bob);
    // bob owns it now: he may add people again.
    assertThat(await(conversations.addMember(new AddMember(c.conversationId(), bob.userId(), carol.username())))
        .members()).containsExactly(bob, carol);
  }

  @Test
  void checkMemberAnswers403And404() {
    UserInfo owner = user("owner");
    ConversationInfo c = conversation(owner, "t");
    await(conversations.checkMember(new MemberRef(c.conversationId(), owner.userId())));
    assertThat(failure(conversations.checkMember(new MemberRef(c.conversationId(), user("eve").userId()))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.checkMember(new MemberRef(UUID.randomUUID().toString(), owner.userId())))
        .code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  // ---- append

  @Test
  void appendAssignsSeqAndResendIsIdempotent() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "t");
    AppendResult first = await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "hello", "m-1")));
    StoredMessage m = first.message();
    assertThat(first.duplicate()).isFalse();
    assertThat(m.seq()).isEqualTo(1);
    assertThat(m.role()).isEqualTo("user");
    assertThat(m.userId()).isEqualTo(alice.userId());
    assertThat(m.username()).isEqualTo(alice.username());
    assertThat(m.content()).isEqualTo("hello");
    assertThat(m.clientMsgId()).isEqualTo("m-1");
    assertThat(m.createdAt()).endsWith("Z");
    assertThat(Instant.parse(m.createdAt())).isNotNull();

    AppendResult resend = await(messages.append(
        AppendMessage.user(c.conversationId(), alice.userId(), "hello", "m-1")));
    assertThat(resend.duplicate()).isTrue();
    assertThat(resend.message()).isEqualTo(m);
    assertThat(history(c, null, null, 50).messages()).hasSize(1);
    assertThat(history(c, null, null, 50).lastSeq()).isEqualTo(1);

    // The resend consumed no seq.
    assertThat(await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "next", "m-2")))
        .message().seq()).isEqualTo(2);
  }

  @Test
  void anotherMembersClientMsgIdIsConflictNotTheirMessage() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = conversation(alice, "t", bob);
    await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "mine", "shared-id")));
    var err = failure(messages.append(AppendMessage.user(c.conversationId(), bob.userId(), "his", "shared-id")));
    assertThat(err.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(history(c, null, null, 50).messages()).extracting(StoredMessage::content).containsExactly("mine");
    assertThat(history(c, null, null, 50).lastSeq()).isEqualTo(1);
  }

  @Test
  void nonMemberAppendIsForbiddenAndStoresNothing() {
    UserInfo owner = user("owner");
    ConversationInfo c = conversation(owner, "t");
    var err = failure(messages.append(AppendMessage.user(c.conversationId(), user("eve").userId(), "spam", "x")));
    assertThat(err.code()).isEqualTo(ErrorCode.FORBIDDEN);
    HistoryPage page = history(c, null, null, 50);
    assertThat(page.messages()).isEmpty();
    assertThat(page.lastSeq()).isZero();
  }

  @Test
  void appendToUnknownConversationIsNotFound() {
    var err = failure(messages.append(
        AppendMessage.user(UUID.randomUUID().toString(), user("a").userId(), "x", "c")));
    assertThat(err.code()).isEqualTo(ErrorCode.NOT_FOUND);
    var assistant = failure(messages.append(
        AppendMessage.assistant(UUID.randomUUID().toString(), null, "s", "x", FinishReason.STOP, null)));
    assertThat(assistant.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void assistantMessagesNeedNoMembershipAndKeepTheirFields() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "t");
    StoredMessage question = await(messages.append(
        AppendMessage.user(c.conversationId(), alice.userId(), "why?", "q"))).message();
    StoredMessage answer = await(messages.append(AppendMessage.assistant(c.conversationId(), question.messageId(),
        "stream-1", "because", FinishReason.STOP, new Usage(12, 3, true)))).message();
    StoredMessage failed = await(messages.append(AppendMessage.assistantError(c.conversationId(),
        question.messageId(), "stream-2", "partial", 503, "provider down", null))).message();

    assertThat(answer.seq()).isEqualTo(2);
    assertThat(answer.userId()).isNull();
    assertThat(answer.username()).isNull();
    assertThat(answer.replyTo()).isEqualTo(question.messageId());
    assertThat(answer.streamId()).isEqualTo("stream-1");
    assertThat(answer.finishReason()).isEqualTo("stop");
    assertThat(answer.usage()).isEqualTo(new Usage(12, 3, true));
    assertThat(failed.seq()).isEqualTo(3);
    assertThat(failed.errorCode()).isEqualTo(503);
    assertThat(failed.error()).isEqualTo("provider down");
    assertThat(failed.usage()).isNull();
    assertThat(history(c, null, null, 50).messages()).containsExactly(question, answer, failed);
  }

  @Test
  void malformedAppendsAreBadRequests() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "t");
    assertThat(failure(messages.append(new AppendMessage(c.conversationId(), "system", null, "x", null, null, null,
        null, null, null, null))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(messages.append(AppendMessage.user(c.conversationId(), "not-a-uuid", "x", "c"))).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(messages.append(AppendMessage.user(c.conversationId(), null, "x", "c"))).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
  }

  // ---- history

  @Test
  void historyPagesAfterBeforeAndLatest() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "t");
    for (int i = 1; i <= 10; i++) {
      await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "m" + i, "c" + i)));
    }
    assertThat(seqs(history(c, 3L, null, 4))).containsExactly(4L, 5L, 6L, 7L);
    assertThat(seqs(history(c, 8L, null, 50))).containsExactly(9L, 10L);
    assertThat(seqs(history(c, 10L, null, 50))).isEmpty();
    assertThat(seqs(history(c, null, 8L, 3))).containsExactly(5L, 6L, 7L);
    assertThat(seqs(history(c, null, 3L, 50))).containsExactly(1L, 2L);
    assertThat(seqs(history(c, null, null, 3))).containsExactly(8L, 9L, 10L);
    assertThat(seqs(history(c, 2L, 6L, 50))).containsExactly(3L, 4L, 5L);
    assertThat(seqs(history(c, 0L, null, 100_000))).hasSize(10);
    assertThat(history(c, 3L, null, 1).lastSeq()).isEqualTo(10);
    assertThat(history(c, null, null, 1).messages().get(0).content()).isEqualTo("m10");
  }

  @Test
  void historyChecksLimitMembershipAndExistence() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "t");
    await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "x", "c")));
    String id = c.conversationId();
    assertThat(failure(messages.history(HistoryQuery.forMember(id, alice.userId(), null, null, 0))).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(await(messages.history(HistoryQuery.forMember(id, alice.userId(), null, null, 5))).messages())
        .hasSize(1);
    assertThat(failure(messages.history(HistoryQuery.forMember(id, user("eve").userId(), null, null, 5))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(messages.history(HistoryQuery.internal(UUID.randomUUID().toString(), null, null, 5))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  /**
   * A list holds the conversations with the newest activity, no more than its bound, whoever added the user to how
   * many; one that fell off comes back with its next event.
   */
  @Test
  void aListHoldsTheConversationsWithTheNewestActivityUpToItsBound() {
    UserInfo owner = user("owner");
    UserInfo bob = user("bob");
    List<ConversationInfo> all = new ArrayList<>();
    for (int i = 0; i <= ConversationRepository.MAX_LISTED; i++) {
      all.add(conversation(owner, "c" + i, bob));
    }
    List<String> listed = titlesOf(bob);
    assertThat(listed).hasSize(ConversationRepository.MAX_LISTED).doesNotContain("c0")
        .startsWith("c" + ConversationRepository.MAX_LISTED);

    await(messages.append(AppendMessage.user(all.get(0).conversationId(), bob.userId(), "back", "b-1")));
    assertThat(titlesOf(bob)).hasSize(ConversationRepository.MAX_LISTED).startsWith("c0").doesNotContain("c1");
  }

  /**
   * A member's page stops at about 512 KiB of text, fewer events than asked for but never none, from the end it starts
   * at (the oldest after afterSeq, the newest before beforeSeq); paging on from its last or first seq reads the rest
   * without a gap. A service reading for itself gets whole ranges.
   */
  @Test
  void aMembersHistoryPageStopsAtItsByteBudget() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice, "long messages");
    String longText = "\u00e9".repeat(16_000); // 32,000 bytes of UTF-8
    for (int i = 0; i < 40; i++) {
      await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), longText, "long-" + i)));
    }
    int fits = (int) (HistoryQuery.MEMBER_PAGE_BYTES / 32_000) + 1; // the rows before the last come to < the budget

    HistoryPage first = memberHistory(c, alice, 0L, null);
    assertThat(seqs(first)).as("the oldest after 0, as many as fit").isEqualTo(range(1, fits));
    assertThat(first.lastSeq()).isEqualTo(40);
    HistoryPage next = memberHistory(c, alice, (long) fits, null);
    assertThat(seqs(next)).as("on from its last seq").isEqualTo(range(fits + 1, Math.min(40, 2 * fits)));
    HistoryPage newest = memberHistory(c, alice, null, null);
    assertThat(seqs(newest)).as("the newest, as many as fit").isEqualTo(range(40 - fits + 1, 40));
    assertThat(seqs(memberHistory(c, alice, null, 41L - fits))).as("back from its first seq")
        .isEqualTo(range(Math.max(1, 41 - 2 * fits), 40 - fits));
    assertThat(history(c, 0L, null, 50).messages()).as("a service's read").hasSize(40);

    String longer = "x".repeat((int) HistoryQuery.MEMBER_PAGE_BYTES + 10);
    await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), longer, "longer")));
    assertThat(seqs(memberHistory(c, alice, 40L, null))).as("one event larger than the budget still comes")
        .containsExactly(41L);
  }

  private static HistoryPage memberHistory(ConversationInfo c, UserInfo reader, Long afterSeq, Long beforeSeq) {
    return await(messages.history(HistoryQuery.forMember(c.conversationId(), reader.userId(), afterSeq, beforeSeq,
        HistoryQuery.MAX_LIMIT)));
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  // ---- database down

  @Test
  void unreachableDatabaseIsUnavailable() throws Exception {
    // Bound but never listening: the port stays refused for the whole test, and no other server can take it.
    try (Socket boundNotListening = new Socket()) {
      boundNotListening.bind(new InetSocketAddress("127.0.0.1", 0));
      StorageConfig down = new StorageConfig(
          "postgresql://postgres@127.0.0.1:" + boundNotListening.getLocalPort() + "/chorus", 2);
      assertThat(failure(DatabaseBootstrap.prepare(vertx, down)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      Pool downPool = down.newPool(vertx);
      try {
        assertThat(failure(new HealthRepository(downPool).ping()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        var err = failure(new MessageRepository(downPool).append(
            AppendMessage.user(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "x", "c")));
        assertThat(err.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(err.getMessage()).isEqualTo("database unavailable");
      } finally {
        await(downPool.close());
      }
    }
    await(new HealthRepository(pool).ping());
  }

  // ---- helpers

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static UserInfo user(String prefix) {
    return await(users.createUser(new CreateUser(unique(prefix), "hash")));
  }

  private static ConversationInfo conversation(UserInfo owner, String title, UserInfo... members) {
    return await(conversations.createConversation(new CreateConversation(
        owner.userId(), title, List.of(members).stream().map(UserInfo::username).toList())));
  }

  private static RemoveMember remove(ConversationInfo c, UserInfo actor, UserInfo member) {
    return new RemoveMember(c.conversationId(), actor.userId(), actor.username(), member.userId());
  }

  private static List<String> titlesOf(UserInfo user) {
    return await(conversations.listConversations(new UserRef(user.userId()))).conversations().stream()
        .map(ConversationInfo::title).toList();
  }

  private static HistoryPage history(ConversationInfo c, Long afterSeq, Long beforeSeq, int limit) {
    return await(messages.history(HistoryQuery.internal(c.conversationId(), afterSeq, beforeSeq, limit)));
  }

  private static List<Long> seqs(HistoryPage page) {
    return page.messages().stream().map(StoredMessage::seq).toList();
  }
}
