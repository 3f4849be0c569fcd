package io.chorus.llm;

import static io.chorus.llm.FakeConversationPort.assistantMessage;
import static io.chorus.llm.FakeConversationPort.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.llm.provider.ChatTurn;
import io.chorus.model.storage.StoredMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBuilderTest {
  private static final String CONV = "c";

  @Test
  void keepsTheMostRecentMessagesWithinTheBudgetOldestFirst() {
    List<StoredMessage> history = List.of(
        userMessage(CONV, 1, "x".repeat(50)),
        assistantMessage(CONV, 2, "answer one", "stop"),
        userMessage(CONV, 3, "question two"));
    List<ChatTurn> turns = new ContextBuilder("sys", 20, 30).build(history, history.get(2).messageId());
    assertThat(turns).containsExactly(
        ChatTurn.system("sys"), ChatTurn.assistant("answer one"), ChatTurn.user("question two"));
  }

  @Test
  void keepsPartialAnswersAndSkipsBlankAndOtherRoles() {
    StoredMessage file = new StoredMessage("f", CONV, 2, "file", "u", "alice", "report.pdf", null, null, null, null,
        null, null, null, null);
    List<StoredMessage> history = List.of(
        userMessage(CONV, 1, "q1"), file, assistantMessage(CONV, 3, "half", "error"), userMessage(CONV, 4, " "),
        userMessage(CONV, 5, "q2"));
    assertThat(new ContextBuilder("", 20, 1000).build(history, history.get(4).messageId()))
        .containsExactly(ChatTurn.user("q1"), ChatTurn.assistant("half"), ChatTurn.user("q2"));
  }

  @Test
  void anOversizedQuestionIsCutRatherThanDropped() {
    List<StoredMessage> history = List.of(userMessage(CONV, 1, "abcdefghij"));
    assertThat(new ContextBuilder("s", 20, 4).build(history, history.get(0).messageId()))
        .containsExactly(ChatTurn.system("s"), ChatTurn.user("abcd"));
  }

  @Test
  void limitsTheNumberOfMessages() {
    List<StoredMessage> history = List.of(userMessage(CONV, 1, "a"), userMessage(CONV, 2, "b"), userMessage(CONV, 3, "c"));
    assertThat(new ContextBuilder("s", 2, 1000).build(history, "unknown"))
        .containsExactly(ChatTurn.system("s"), ChatTurn.user("b"), ChatTurn.user("c"));
  }
}
