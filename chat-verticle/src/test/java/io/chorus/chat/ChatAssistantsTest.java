package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.Env;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.streams.InMemoryStreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Questions go to the conversation's assistant, and the room hears which one answers or why none does. */
class ChatAssistantsTest {
  private static final String ALICE = UUID.randomUUID().toString();
  private static final String CONV = UUID.randomUUID().toString();

  @TempDir
  Path dir;
  private FakeChatPorts ports;
  private final InMemoryStreamRegistry streams = new InMemoryStreamRegistry();
  private ChatService chat;

  @BeforeEach
  void setUp() throws IOException {
    Path file = dir.resolve("assistants.json");
    Files.writeString(file, """
        [{"id":"general","name":"General","provider":"demo","model":"small"},
         {"id":"visa","name":"Visa expert","provider":"demo","model":"big"}]""");
    ports = new FakeChatPorts();
    ports.members.add(ALICE);
    chat = new ChatService(ChatConfig.from(new Env(Map.of("ASSISTANTS_FILE", file.toString()))), ports, streams,
        System::nanoTime);
  }

  @Test
  void aQuestionGoesToTheConversationsAssistantAndThinkingSaysWhichAndItsModel() {
    ports.conversationAssistant = "visa";
    ask("q1");
    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking");
    JsonObject thinking = ports.published.get(1);
    assertThat(thinking.getString("assistantId")).isEqualTo("visa");
    assertThat(thinking.getString("model")).isEqualTo("big");
    assertThat(ports.completions).singleElement().satisfies(c -> assertThat(c.assistantId()).isEqualTo("visa"));
  }

  @Test
  void aConversationThatNamesNoAssistantHasTheFirstProfile() {
    ask("q1");
    assertThat(ports.published.get(1).getString("assistantId")).isEqualTo("general");
    assertThat(ports.completions).singleElement().satisfies(c -> assertThat(c.assistantId()).isEqualTo("general"));
  }

  @Test
  void aProfileRemovedFromTheFileEndsTheQuestionWithAnErrorNamingIt() {
    ports.conversationAssistant = "tax";
    ask("q1");
    assertThat(ports.publishedTypes()).containsExactly("new_message", "ai_thinking", "ai_response_error");
    JsonObject error = ports.published.get(2);
    assertThat(error.getInteger("code")).isEqualTo(404);
    assertThat(error.getString("error")).contains("'tax'").contains("no longer configured");
    assertThat(ports.startAttempts).isZero();
    assertThat(streams.slots.getOrDefault(ALICE, java.util.Set.of())).as("the answer slot is given back").isEmpty();
  }

  @Test
  void withoutAWorkerForTheAssistantTheErrorIsA503NamingIt() {
    ports.conversationAssistant = "visa";
    ports.llmAvailable = false;
    ask("q1");
    JsonObject error = ports.published.get(2);
    assertThat(error.getString("type")).isEqualTo("ai_response_error");
    assertThat(error.getInteger("code")).isEqualTo(503);
    assertThat(error.getString("error")).contains("Visa expert").contains("visa");
  }

  private void ask(String clientMsgId) {
    Future<?> sent = chat.send(new SendMessage(CONV, ALICE, "alice", "question?", clientMsgId, true));
    assertThat(sent.succeeded()).as("sent: %s", sent.cause()).isTrue();
  }
}
