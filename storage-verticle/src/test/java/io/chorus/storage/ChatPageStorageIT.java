package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.LastMessage;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.SetSettings;
import io.chorus.model.storage.SettingsChanged;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UserRef;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the chat page needs of storage (issue 18, V8) against a real, freshly migrated database: read markers,
 * unread counts and last messages, one message read for a regenerate, who stopped an answer, and a conversation's
 * answersEveryMessage setting.
 */
class ChatPageStorageIT extends MigratedDatabaseTestBase {
  @Test
  void theMarkerMovesForwardOnlyAndRefusesWhatIsNotThere() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    UserInfo eve = user("eve");
    ConversationInfo c = conversation(alice, bob);
    for (int i = 0; i < 5; i++) {
      say(c, bob, "m" + i);
    }
    String id = c.conversationId();
    assertThat(await(conversations.markRead(new MarkRead(id, alice.userId(), 3))))
        .isEqualTo(new ReadMarker(id, 3, true));
    assertThat(await(conversations.markRead(new MarkRead(id, alice.userId(), 2))))
        .as("a lower seq keeps the stored one").isEqualTo(new ReadMarker(id, 3, false));
    assertThat(await(conversations.markRead(new MarkRead(id, alice.userId(), 3)))).isEqualTo(new ReadMarker(id, 3, false));
    assertThat(await(conversations.markRead(new MarkRead(id, alice.userId(), 5)))).isEqualTo(new ReadMarker(id, 5, true));
    assertThat(viewOf(c, bob).viewer().lastReadSeq()).as("per member").isZero();

    assertThat(failure(conversations.markRead(new MarkRead(id, alice.userId(), 6))).code())
        .as("beyond the last seq").isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(conversations.markRead(new MarkRead(id, alice.userId(), -1))).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(conversations.markRead(new MarkRead(id, eve.userId(), 1))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.markRead(new MarkRead(UUID.randomUUID().toString(), alice.userId(), 0))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(conversations.viewConversation(new MemberRef(id, eve.userId()))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(viewOf(c, alice).viewer().lastReadSeq()).isEqualTo(5);
  }

  @Test
  void theListCountsOthersMessagesAfterTheMarkerAndShowsTheLastMessage() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    UserInfo carol = user("carol");
    ConversationInfo c = conversation(alice, bob, carol);
    String id = c.conversationId();
    ConversationInfo empty = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "empty", List.of())));

    say(c, alice, "mine");                                            // 1: not unread for alice
    var question = say(c, bob, "question from bob");                    // 2
    await(messages.append(AppendMessage.assistant(id, question.messageId(), "s1", "the answer " + "x".repeat(200),
        FinishReason.STOP, new Usage(1, 1, true)).answeredBy("general", "m")));   // 3
    await(conversations.removeMember(new RemoveMember(id, carol.userId(), carol.username(), carol.userId()))); // 4: notice

    ConversationInfo forAlice = listOf(alice).stream().filter(x -> x.conversationId().equals(id)).findFirst().orElseThrow();
    assertThat(forAlice.viewer().unreadCount()).as("bob's question and the answer; not alice's own, not the notice")
        .isEqualTo(2);
    assertThat(forAlice.viewer().lastReadSeq()).isZero();
    LastMessage last = forAlice.viewer().lastMessage();
    assertThat(last.seq()).as("the notice is no message").isEqualTo(3);
    assertThat(last.type()).isEqualTo("ai_response_complete");
    assertThat(last.userId()).isNull();
    assertThat(last.username()).isEqualTo(LastMessage.ASSISTANT);
    assertThat(last.assistantId()).isEqualTo("general");
    assertThat(last.preview()).hasSize(LastMessage.PREVIEW_CHARS).startsWith("the answer x");
    assertThat(last.createdAt()).isNotNull();
    assertThat(forAlice.toJson().getJsonObject("lastMessage").getString("preview")).isEqualTo(last.preview());

    assertThat(viewOf(c, bob).viewer().unreadCount()).as("alice's message and the answer").isEqualTo(2);
    await(conversations.markRead(new MarkRead(id, alice.userId(), 2)));
    assertThat(viewOf(c, alice).viewer().unreadCount()).isEqualTo(1);
    await(conversations.markRead(new MarkRead(id, alice.userId(), 4)));
    assertThat(viewOf(c, alice).viewer().unreadCount()).isZero();
    say(c, bob, "é".repeat(150));
    ConversationInfo after = viewOf(c, alice);
    assertThat(after.viewer().unreadCount()).isEqualTo(1);
    assertThat(after.viewer().lastMessage().type()).isEqualTo("new_message");
    assertThat(after.viewer().lastMessage().username()).isEqualTo(bob.username());
    assertThat(after.viewer().lastMessage().preview()).isEqualTo("é".repeat(140));

    await(new FileRepository(pool).store(new FileRepository.NewFile(UUID.randomUUID(), UUID.fromString(id),
        UUID.fromString(bob.userId()), "holiday-photos.zip", "application/zip", 10, "ab".repeat(32)),
        "the caption is not the preview", UUID.randomUUID(), Long.MAX_VALUE));
    ConversationInfo withFile = viewOf(c, alice);
    assertThat(withFile.viewer().unreadCount()).as("a file counts").isEqualTo(2);
    assertThat(withFile.viewer().lastMessage().type()).isEqualTo("file_uploaded");
    assertThat(withFile.viewer().lastMessage().preview()).isEqualTo("holiday-photos.zip");
    assertThat(withFile.viewer().lastMessage().username()).isEqualTo(bob.username());
    assertThat(viewOf(c, bob).viewer().unreadCount()).as("not his own file").isEqualTo(2);

    ConversationInfo none = listOf(alice).stream().filter(x -> x.conversationId().equals(empty.conversationId()))
        .findFirst().orElseThrow();
    assertThat(none.viewer().lastMessage()).isNull();
    assertThat(none.toJson().containsKey("lastMessage")).isTrue();
    assertThat(none.toJson().getValue("lastMessage")).isNull();
    assertThat(none.viewer().unreadCount()).isZero();
  }

  @Test
  void unreadCountsStopAt999() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = conversation(alice, bob);
    await(pool.preparedQuery("""
        WITH next AS (UPDATE conversations SET last_seq = 1005 WHERE id = $1)
        INSERT INTO messages (id, conversation_id, seq, role, user_id, content)
        SELECT gen_random_uuid(), $1, s, 'user', $2, 'm' || s FROM generate_series(1, 1005) s""")
        .execute(Tuple.of(UUID.fromString(c.conversationId()), UUID.fromString(bob.userId()))));
    assertThat(viewOf(c, alice).viewer().unreadCount()).isEqualTo(ConversationInfo.MAX_UNREAD);
    await(conversations.markRead(new MarkRead(c.conversationId(), alice.userId(), 1000)));
    assertThat(viewOf(c, alice).viewer().unreadCount()).isEqualTo(5);
  }

  /** The list is one statement that reads messages by key, not by scanning them, once the tables are big. */
  @Test
  void theListQueryReadsMessagesByTheirKey() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    await(pool.query("""
        WITH cs AS (
          INSERT INTO conversations (id, title, owner_id, last_seq)
          SELECT gen_random_uuid(), 'seeded', '%1$s'::uuid, 200 FROM generate_series(1, 300) RETURNING id),
        ms AS (INSERT INTO members (conversation_id, user_id) SELECT id, '%1$s'::uuid FROM cs
               UNION ALL SELECT id, '%2$s'::uuid FROM cs)
        INSERT INTO messages (id, conversation_id, seq, role, user_id, content)
        SELECT gen_random_uuid(), cs.id, s, 'user', '%2$s'::uuid, 'seeded ' || s FROM cs, generate_series(1, 200) s"""
        .formatted(alice.userId(), bob.userId())).execute());
    await(pool.query("ANALYZE").execute());
    String plan = String.join("\n", await(pool.preparedQuery("EXPLAIN " + ConversationRepository.LIST)
        .execute(Tuple.of(UUID.fromString(alice.userId())))).stream().map(row -> row.getString(0)).toList());
    assertThat(plan).contains("messages_conversation_seq_key").doesNotContain("Seq Scan on messages");
    assertThat(listOf(alice)).hasSizeGreaterThanOrEqualTo(300)
        .allSatisfy(x -> assertThat(x.viewer().unreadCount()).isIn(0, 200));
  }

  @Test
  void aMessageIsReadByMembersOfItsConversationOnly() {
    UserInfo alice = user("alice");
    UserInfo eve = user("eve");
    ConversationInfo c = conversation(alice);
    ConversationInfo other = conversation(eve);
    var q = say(c, alice, "question");
    var elsewhere = say(other, eve, "elsewhere");
    assertThat(await(messages.get(new MessageRef(c.conversationId(), q.messageId(), alice.userId())))).isEqualTo(q);
    assertThat(failure(messages.get(new MessageRef(c.conversationId(), q.messageId(), eve.userId()))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(messages.get(new MessageRef(c.conversationId(), elsewhere.messageId(), alice.userId()))).code())
        .as("a message of another conversation").isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(messages.get(new MessageRef(c.conversationId(), UUID.randomUUID().toString(),
        alice.userId()))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(messages.get(new MessageRef(UUID.randomUUID().toString(), q.messageId(),
        alice.userId()))).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void aStoppedAnswerKeepsWhoStoppedItInHistory() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = conversation(alice, bob);
    var q = say(c, alice, "tell me everything");
    var stopped = await(messages.append(AppendMessage.assistant(c.conversationId(), q.messageId(), "s1", "so far",
        FinishReason.CANCELLED, new Usage(1, 1, true)).stoppedBy(bob))).message();
    var finished = await(messages.append(AppendMessage.assistant(c.conversationId(), q.messageId(), "s2", "all",
        FinishReason.STOP, new Usage(1, 1, true)))).message();
    assertThat(stopped.stoppedBy()).isEqualTo(bob);
    var history = await(messages.history(io.chorus.model.storage.HistoryQuery.forMember(c.conversationId(),
        alice.userId(), null, null, 10))).messages();
    assertThat(history).containsExactly(q, stopped, finished);
    assertThat(history.get(1).toEvent().getJsonObject("stoppedBy")).isEqualTo(bob.toJson());
    assertThat(history.get(2).toEvent().containsKey("stoppedBy")).isFalse();
  }

  @Test
  void answersEveryMessageIsSetWithANoticeAndEveryAppendReportsIt() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    UserInfo eve = user("eve");
    ConversationInfo c = conversation(alice, bob);
    assertThat(c.answersEveryMessage()).isFalse();
    assertThat(await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "a", "a")))
        .answersEveryMessage()).isFalse();
    SettingsChanged changed = await(conversations.setSettings(
        new SetSettings(c.conversationId(), bob.userId(), bob.username(), true)));
    assertThat(changed.conversation().answersEveryMessage()).isTrue();
    var event = changed.notice().toEvent();
    assertThat(event.getString("type")).isEqualTo("conversation_settings_changed");
    assertThat(event.getLong("seq")).isEqualTo(2);
    assertThat(event.getString("userId")).isEqualTo(bob.userId());
    assertThat(event.getString("username")).isEqualTo(bob.username());
    assertThat(event.getBoolean("answersEveryMessage")).isTrue();
    assertThat(viewOf(c, alice).answersEveryMessage()).isTrue();
    assertThat(await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "b", "b")))
        .answersEveryMessage()).as("reported by the append itself").isTrue();
    assertThat(viewOf(c, alice).viewer().unreadCount()).as("a notice is no unread message").isZero();
    assertThat(failure(conversations.setSettings(
        new SetSettings(c.conversationId(), eve.userId(), eve.username(), false))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.setSettings(
        new SetSettings(UUID.randomUUID().toString(), eve.userId(), eve.username(), false))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);

    ConversationInfo created = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "one to one", List.of(), "general", true)));
    assertThat(created.answersEveryMessage()).isTrue();
  }

  private static io.chorus.model.storage.StoredMessage say(ConversationInfo c, UserInfo who, String text) {
    return await(messages.append(AppendMessage.user(c.conversationId(), who.userId(), text,
        UUID.randomUUID().toString()))).message();
  }

  private static ConversationInfo viewOf(ConversationInfo c, UserInfo who) {
    MemberRef member = new MemberRef(c.conversationId(), who.userId());
    ConversationInfo plain = await(conversations.getConversation(member));
    assertThat(plain.viewer()).as("the plain read reads no messages").isNull();
    ConversationInfo view = await(conversations.viewConversation(member));
    assertThat(plain.answersEveryMessage()).isEqualTo(view.answersEveryMessage());
    return view;
  }

  private static List<ConversationInfo> listOf(UserInfo who) {
    return await(conversations.listConversations(new UserRef(who.userId()))).conversations();
  }
}
