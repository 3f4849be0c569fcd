package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageDraftTest {
  private static final String CONVERSATION = UUID.randomUUID().toString();
  private static final String ALICE = UUID.randomUUID().toString();

  @Test
  void aUserMessageNeedsItsAuthorChecked() {
    MessageDraft draft = MessageDraft.of(AppendMessage.user(CONVERSATION, ALICE, "hi", "c1"));
    assertThat(draft.memberToCheck()).hasToString(ALICE);
    assertThat(draft.tuple(null).size()).isEqualTo(20);
    assertThat(draft.tuple(null).getUUID(2)).hasToString(ALICE);
  }

  @Test
  void anAssistantMessageIsNobodysAndChecksNobody() {
    AppendMessage m = new AppendMessage(CONVERSATION, "assistant", ALICE, "answer", null, null, "s1", "stop", null,
        null, new Usage(1, 2, false));
    MessageDraft draft = MessageDraft.of(m);
    assertThat(draft.userId()).isNull();
    assertThat(draft.memberToCheck()).isNull();
    assertThat(draft.tuple(null).getValue(2)).isNull();
    assertThat(draft.tuple(null).getInteger(12)).isEqualTo(1);
  }

  @Test
  void anAnswerKeepsItsAssistantAndModelAndAUsersMessageNone() {
    MessageDraft answer = MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a", FinishReason.STOP, null)
        .answeredBy("visa", "big"));
    assertThat(answer.tuple(null).getString(16)).isEqualTo("visa");
    assertThat(answer.tuple(null).getString(17)).isEqualTo("big");
    MessageDraft user = MessageDraft.of(AppendMessage.user(CONVERSATION, ALICE, "hi", "c1").answeredBy("visa", "big"));
    assertThat(user.tuple(null).getValue(16)).isNull();
  }

  @Test
  void aStoppedAnswerKeepsWhoStoppedItAndAMalformedIdIsRefused() {
    UserInfo bob = new UserInfo(ALICE, "bob");
    MessageDraft stopped = MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a",
        FinishReason.CANCELLED, null).stoppedBy(bob));
    assertThat(stopped.tuple(null).getJsonObject(18)).isEqualTo(bob.toJson());
    assertThat(MessageDraft.of(AppendMessage.user(CONVERSATION, ALICE, "hi", "c1").stoppedBy(bob))
        .tuple(null).getValue(18)).as("a user's message is stopped by nobody").isNull();
    assertThatThrownBy(() -> MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a",
        FinishReason.CANCELLED, null).stoppedBy(new UserInfo("nobody", "x"))))
        .isInstanceOf(ChorusException.class);
  }

  @Test
  void anAnswerKeepsWhoAskedForItAndAUsersMessageNobody() {
    MessageDraft answer = MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a", FinishReason.STOP,
        null).askedBy(ALICE));
    assertThat(answer.tuple(null).getUUID(19)).hasToString(ALICE);
    assertThat(MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a", FinishReason.STOP, null))
        .tuple(null).getValue(19)).as("an older worker's answer names nobody").isNull();
    assertThat(MessageDraft.of(AppendMessage.user(CONVERSATION, ALICE, "hi", "c1").askedBy(ALICE))
        .tuple(null).getValue(19)).as("a user's message is asked for by nobody").isNull();
    assertThat(MessageDraft.of(AppendMessage.assistant(CONVERSATION, null, "s1", "a", FinishReason.STOP, null)
        .askedBy("not-a-uuid")).tuple(null).getValue(19)).as("stored all the same, credited as named by nobody")
        .isNull();
  }

  @Test
  void rejectsWhatTheDatabaseWouldChokeOn() {
    assertBadRequest(new AppendMessage(CONVERSATION, "system", null, "x", null, null, null, null, null, null, null));
    assertBadRequest(AppendMessage.user(CONVERSATION, null, "x", "c"));
    assertBadRequest(AppendMessage.user("not-a-uuid", ALICE, "x", "c"));
    assertBadRequest(AppendMessage.user(CONVERSATION, ALICE, null, "c"));
    assertBadRequest(AppendMessage.assistant(CONVERSATION, "not-a-uuid", "s", "x", FinishReason.STOP, null));
  }

  @Test
  void sameAuthorMeansSameRoleAndUser() {
    MessageDraft draft = MessageDraft.of(AppendMessage.user(CONVERSATION, ALICE, "hi", "c1"));
    assertThat(draft.sameAuthor(stored("user", ALICE))).isTrue();
    assertThat(draft.sameAuthor(stored("user", UUID.randomUUID().toString()))).isFalse();
    assertThat(draft.sameAuthor(stored("assistant", null))).isFalse();
  }

  private static StoredMessage stored(String role, String userId) {
    return new StoredMessage(UUID.randomUUID().toString(), CONVERSATION, 1, role, userId, null, "hi", "c1", null,
        null, null, null, null, null, null);
  }

  private static void assertBadRequest(AppendMessage m) {
    assertThatThrownBy(() -> MessageDraft.of(m))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
