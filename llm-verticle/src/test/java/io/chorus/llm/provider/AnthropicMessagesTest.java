package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The context reshaped for the Anthropic Messages API, and its stop reasons. */
class AnthropicMessagesTest {

  @Test
  void theSystemPromptMovesToTheTopLevel() {
    AnthropicMessages shaped = AnthropicMessages.of(List.of(ChatTurn.system("Be brief."), ChatTurn.user("Hi")));
    assertThat(shaped.system()).isEqualTo("Be brief.");
    assertThat(shaped.messages()).containsExactly(ChatTurn.user("Hi"));
  }

  @Test
  void withoutASystemPromptThereIsNoSystemField() {
    AnthropicMessages shaped = AnthropicMessages.of(List.of(ChatTurn.user("Hi")));
    assertThat(shaped.system()).isNull();
  }

  @Test
  void severalSystemTurnsAreJoined() {
    AnthropicMessages shaped = AnthropicMessages.of(
        List.of(ChatTurn.system("Be brief."), ChatTurn.user("Hi"), ChatTurn.system("Answer in French.")));
    assertThat(shaped.system()).isEqualTo("Be brief.\n\nAnswer in French.");
    assertThat(shaped.messages()).containsExactly(ChatTurn.user("Hi"));
  }

  @Test
  void consecutiveTurnsOfOneRoleAreMergedWithABlankLine() {
    AnthropicMessages shaped = AnthropicMessages.of(List.of(
        ChatTurn.user("Ann: hi"), ChatTurn.user("Bob: hello"), ChatTurn.user("Cid: hey"),
        ChatTurn.assistant("Hi all."), ChatTurn.assistant("What's up?"),
        ChatTurn.user("Ann: 2+2?")));
    assertThat(shaped.messages()).containsExactly(
        ChatTurn.user("Ann: hi\n\nBob: hello\n\nCid: hey"),
        ChatTurn.assistant("Hi all.\n\nWhat's up?"),
        ChatTurn.user("Ann: 2+2?"));
  }

  @Test
  void leadingAssistantTurnsAreDropped() {
    AnthropicMessages shaped = AnthropicMessages.of(List.of(
        ChatTurn.system("Be brief."), ChatTurn.assistant("old answer"), ChatTurn.assistant("older"),
        ChatTurn.user("Hi"), ChatTurn.assistant("Hello."), ChatTurn.user("Bye")));
    assertThat(shaped.messages()).containsExactly(
        ChatTurn.user("Hi"), ChatTurn.assistant("Hello."), ChatTurn.user("Bye"));
  }

  @Test
  void blankTurnsAreSkippedAndDoNotBreakTheAlternation() {
    AnthropicMessages shaped = AnthropicMessages.of(List.of(
        ChatTurn.user("a"), ChatTurn.assistant("  "), ChatTurn.user("b"), ChatTurn.system(" ")));
    assertThat(shaped.system()).isNull();
    assertThat(shaped.messages()).containsExactly(ChatTurn.user("a\n\nb"));
  }

  @Test
  void theResultAlwaysAlternatesStartingWithTheUser() {
    List<ChatTurn> mixed = List.of(ChatTurn.assistant("x"), ChatTurn.user("1"), ChatTurn.assistant("2"),
        ChatTurn.assistant("3"), ChatTurn.user("4"), ChatTurn.user("5"), ChatTurn.assistant("6"), ChatTurn.user("7"));
    List<ChatTurn> messages = AnthropicMessages.of(mixed).messages();
    for (int i = 0; i < messages.size(); i++) {
      assertThat(messages.get(i).role()).isEqualTo(i % 2 == 0 ? ChatTurn.USER : ChatTurn.ASSISTANT);
    }
    assertThat(messages).hasSize(5);
  }

  @Test
  void noUserTurnLeavesNoMessages() {
    assertThat(AnthropicMessages.of(List.of(ChatTurn.system("s"), ChatTurn.assistant("a"))).messages()).isEmpty();
  }

  @Test
  void theJsonFormHasRoleAndContent() {
    JsonArray json = AnthropicMessages.of(List.of(ChatTurn.user("Hi"), ChatTurn.assistant("Hello"))).messagesJson();
    assertThat(json).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hi"))
        .add(new JsonObject().put("role", "assistant").put("content", "Hello")));
  }

  @Test
  void stopReasonsMapToTheContractsFinishReasons() {
    assertThat(AnthropicStream.finishReason("end_turn")).isEqualTo("stop");
    assertThat(AnthropicStream.finishReason("stop_sequence")).isEqualTo("stop");
    assertThat(AnthropicStream.finishReason("max_tokens")).isEqualTo("length");
    assertThat(AnthropicStream.finishReason("tool_use")).isEqualTo("tool_use");
    assertThat(AnthropicStream.finishReason(null)).isNull();
  }
}
