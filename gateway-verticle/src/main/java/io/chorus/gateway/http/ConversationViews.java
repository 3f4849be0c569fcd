package io.chorus.gateway.http;

import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.LastMessage;
import io.vertx.core.json.JsonObject;

/**
 * A conversation as the API returns it to a member: storage's view, with an answer's last message named after
 * its assistant. The profiles live in the operator's file, which the gateway reads and storage does not.
 */
public final class ConversationViews {
  private final AssistantCatalog assistants;

  public ConversationViews(AssistantCatalog assistants) {
    this.assistants = assistants;
  }

  public JsonObject toJson(ConversationInfo conversation) {
    LastMessage last = conversation.viewer() == null ? null : conversation.viewer().lastMessage();
    if (last == null || !LastMessage.ASSISTANT.equals(last.username()) || last.userId() != null) {
      return conversation.toJson();
    }
    AssistantProfile profile = assistants.find(last.assistantId());
    return profile == null ? conversation.toJson()
        : conversation.withLastMessage(last.namedFor(profile.name())).toJson();
  }
}
