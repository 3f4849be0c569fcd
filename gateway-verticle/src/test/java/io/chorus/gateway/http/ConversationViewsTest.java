package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.LastMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationViewsTest {
  private final ConversationViews views = new ConversationViews(new AssistantCatalog(List.of(
      profile("general", "General"), profile("visa", "Visa expert"))));

  private static AssistantProfile profile(String id, String name) {
    return new AssistantProfile(id, name, null, "openai", "http://127.0.0.1:1/v1", "m", null, null, null, null, null, null, null, null);
  }

  private static ConversationInfo withLast(LastMessage last) {
    return new ConversationInfo("c", "t", "o", List.of(), 3, "2026-01-01T00:00:00Z", "general", false,
        new ConversationInfo.Viewer(1, 2, last));
  }

  private JsonObject lastOf(LastMessage last) {
    return views.toJson(withLast(last)).getJsonObject("lastMessage");
  }

  @Test
  void anAnswersLastMessageIsNamedAfterItsAssistant() {
    LastMessage answer = new LastMessage(3, RoomEvents.AI_RESPONSE_COMPLETE, null, LastMessage.ASSISTANT, "Yes.",
        "2026-01-01T00:00:00Z", "visa");
    assertThat(lastOf(answer).getString("username")).isEqualTo("Visa expert");
    assertThat(lastOf(answer).getString("preview")).isEqualTo("Yes.");
    assertThat(lastOf(new LastMessage(3, RoomEvents.AI_RESPONSE_COMPLETE, null, LastMessage.ASSISTANT, "Yes.",
        "2026-01-01T00:00:00Z", "removed-profile")).getString("username"))
        .as("a profile the operator removed").isEqualTo("assistant");
    assertThat(lastOf(new LastMessage(3, RoomEvents.AI_RESPONSE_COMPLETE, null, LastMessage.ASSISTANT, "Yes.",
        "2026-01-01T00:00:00Z", null)).getString("username"))
        .as("an answer from before assistants: the first profile gave it").isEqualTo("General");
  }

  @Test
  void aUsersLastMessageKeepsTheirNameEvenIfItIsAssistant() {
    LastMessage mine = new LastMessage(2, RoomEvents.NEW_MESSAGE, "u-1", "assistant", "hi", "2026-01-01T00:00:00Z",
        null);
    assertThat(lastOf(mine).getString("username")).isEqualTo("assistant");
    JsonObject none = views.toJson(withLast(null));
    assertThat(none.containsKey("lastMessage")).isTrue();
    assertThat(none.getValue("lastMessage")).isNull();
    assertThat(none.getLong("unreadCount")).isEqualTo(2);
    assertThat(none.getLong("lastReadSeq")).isEqualTo(1);
  }
}
