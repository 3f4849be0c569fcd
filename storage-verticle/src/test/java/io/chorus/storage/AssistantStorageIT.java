package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.AssistantChanged;
import io.chorus.model.storage.AssistantUsage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.ConversationUsage;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.SetAssistant;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UsageTotals;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UserRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A conversation's assistant (V6__assistants.sql) against a real, freshly migrated database. */
class AssistantStorageIT extends MigratedDatabaseTestBase {
  private static UsageRepository usage;

  @BeforeAll
  static void setUp() {
    usage = new UsageRepository(pool);
  }

  @Test
  void aConversationKeepsItsAssistantAndAMemberSwitchesItWithANoticeInHistory() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    UserInfo eve = user("eve");
    ConversationInfo c = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "t", List.of(bob.username()), "general")));
    assertThat(c.assistantId()).isEqualTo("general");
    assertThat(await(conversations.getConversation(new MemberRef(c.conversationId(), bob.userId()))).assistantId())
        .isEqualTo("general");
    assertThat(await(conversations.createConversation(new CreateConversation(alice.userId(), "old", List.of())))
        .assistantId()).as("created without one").isNull();

    AssistantChanged changed = await(conversations.setAssistant(
        new SetAssistant(c.conversationId(), bob.userId(), bob.username(), "visa", "Visa expert")));
    assertThat(changed.conversation().assistantId()).isEqualTo("visa");
    JsonObject event = changed.notice().toEvent();
    assertThat(event.getString("type")).isEqualTo("assistant_changed");
    assertThat(event.getLong("seq")).isEqualTo(1);
    assertThat(event.getString("assistantId")).isEqualTo("visa");
    assertThat(event.getString("name")).isEqualTo("Visa expert");
    assertThat(event.getJsonObject("changedBy"))
        .isEqualTo(new JsonObject().put("userId", bob.userId()).put("username", bob.username()));
    List<StoredMessage> history = await(messages.history(
        HistoryQuery.forMember(c.conversationId(), alice.userId(), null, null, 10))).messages();
    assertThat(history).extracting(StoredMessage::toEvent).containsExactly(event);

    assertThat(failure(conversations.setAssistant(
        new SetAssistant(c.conversationId(), eve.userId(), eve.username(), "visa", "Visa expert"))).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(conversations.setAssistant(
        new SetAssistant(UUID.randomUUID().toString(), bob.userId(), bob.username(), "visa", "Visa expert"))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void everyAppendReportsItsConversationsAssistantAloneOrInABatch() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo visa = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "v", List.of(bob.username()), "visa")));
    ConversationInfo none = await(conversations.createConversation(new CreateConversation(alice.userId(), "n", List.of())));
    assertThat(await(messages.append(AppendMessage.user(visa.conversationId(), alice.userId(), "a", "a")))
        .conversationAssistant()).isEqualTo("visa");

    // Sent together, all but the first two (one statement each) go in one batch statement.
    List<Future<AppendResult>> together = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ConversationInfo c = i % 2 == 0 ? visa : none;
      together.add(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "m" + i, "m" + i)));
    }
    await(Future.all(together));
    for (int i = 0; i < 8; i++) {
      assertThat(together.get(i).result().conversationAssistant()).as("append %d", i)
          .isEqualTo(i % 2 == 0 ? "visa" : null);
    }

    await(conversations.setAssistant(
        new SetAssistant(visa.conversationId(), bob.userId(), bob.username(), "general", "General")));
    assertThat(await(messages.append(AppendMessage.user(visa.conversationId(), bob.userId(), "b", "b")))
        .conversationAssistant()).isEqualTo("general");
  }

  @Test
  void answersKeepTheirAssistantAndModelAndUsageAddsUpPerAssistant() {
    UserInfo alice = user("alice");
    ConversationInfo c = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "t", List.of(), "general")));
    StoredMessage q1 = await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "a?", "q1")))
        .message();
    StoredMessage a1 = await(messages.append(AppendMessage.assistant(c.conversationId(), q1.messageId(), "s1",
        "A", FinishReason.STOP, new Usage(10, 2, false)).answeredBy("general", "model-a"))).message();
    StoredMessage q2 = await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "b?", "q2")))
        .message();
    await(messages.append(AppendMessage.assistant(c.conversationId(), q2.messageId(), "s2", "B", FinishReason.STOP,
        new Usage(7, 5, false)).answeredBy("visa", "model-b")));

    assertThat(a1.assistantId()).isEqualTo("general");
    assertThat(a1.model()).isEqualTo("model-a");
    assertThat(a1.toEvent().getString("assistantId")).isEqualTo("general");
    assertThat(a1.toEvent().getString("model")).isEqualTo("model-a");
    assertThat(await(messages.history(HistoryQuery.forMember(c.conversationId(), alice.userId(), null, null, 10)))
        .messages()).contains(a1);
    assertThat(await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "x", "q3")
        .answeredBy("visa", "m"))).message().assistantId()).as("a user's message names no assistant").isNull();

    UsageTotals totals = await(usage.totals(new UserRef(alice.userId())));
    assertThat(totals.assistants()).containsExactly(
        new AssistantUsage("general", 1, 10, 2), new AssistantUsage("visa", 1, 7, 5));
  }

  @Test
  void anAnswerCountsInTheUsageOfWhoAskedForItAndOneThatNamesNobodyInItsQuestionsAuthors() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = await(conversations.createConversation(
        new CreateConversation(alice.userId(), "t", List.of(bob.username()), "general")));
    StoredMessage question = await(messages.append(
        AppendMessage.user(c.conversationId(), alice.userId(), "why?", "q1"))).message();
    // Stored by an older worker, naming nobody: it counts for alice, who wrote the question, as it always did.
    await(messages.append(AppendMessage.assistant(c.conversationId(), question.messageId(), "s1", "A",
        FinishReason.STOP, new Usage(10, 2, false)).answeredBy("general", "m")));
    // Alice's own question, answered for her.
    await(messages.append(AppendMessage.assistant(c.conversationId(), question.messageId(), "s2", "B",
        FinishReason.STOP, new Usage(20, 4, false)).answeredBy("general", "m").askedBy(alice.userId())));
    // Bob asked for it again (regenerate): the answer and the one that failed part-way are his tokens.
    await(messages.append(AppendMessage.assistant(c.conversationId(), question.messageId(), "s3", "C",
        FinishReason.STOP, new Usage(300, 50, false)).answeredBy("general", "m").askedBy(bob.userId())));
    await(messages.append(AppendMessage.assistantError(c.conversationId(), question.messageId(), "s4", "D", 503,
        "provider down", new Usage(300, 7, true)).answeredBy("general", "m").askedBy(bob.userId())));

    UsageTotals aliceUsage = await(usage.totals(new UserRef(alice.userId())));
    assertThat(aliceUsage.conversations()).containsExactly(
        new ConversationUsage(c.conversationId(), "t", 2, 30, 6, 0));
    assertThat(aliceUsage.assistants()).containsExactly(new AssistantUsage("general", 2, 30, 6));
    UsageTotals bobUsage = await(usage.totals(new UserRef(bob.userId())));
    assertThat(bobUsage.conversations()).containsExactly(
        new ConversationUsage(c.conversationId(), "t", 2, 600, 57, 1));
    assertThat(bobUsage.assistants()).containsExactly(new AssistantUsage("general", 2, 600, 57));
    assertThat(await(messages.history(HistoryQuery.forMember(c.conversationId(), bob.userId(), null, null, 10)))
        .messages()).extracting(StoredMessage::userId).as("an answer is still nobody's message")
        .containsExactly(alice.userId(), null, null, null, null);
  }
}
