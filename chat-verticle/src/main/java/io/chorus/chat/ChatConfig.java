package io.chorus.chat;

import io.chorus.model.Env;
import io.chorus.model.assistants.AssistantCatalog;
import io.chorus.model.chat.MessageText;

/**
 * The chat service's settings: the longest message text in characters, the typing rate limit (events
 * per second per user, with a small burst), and what one user may ask of the service: messages per
 * second with a burst, questions to the assistant per minute (a burst of a whole minute's worth is
 * fine), and answers running or waiting at once across the cluster; and the deployment's assistant profiles
 * ({@code ASSISTANTS_FILE}), by which questions go to the workers of the conversation's assistant.
 */
public record ChatConfig(
    int maxTextLength,
    int maxClientMsgIdLength,
    double typingPerSecond,
    int typingBurst,
    double messagesPerSecond,
    int messagesBurst,
    int aiQuestionsPerMinute,
    int aiMaxActivePerUser,
    AssistantCatalog assistants) {

  public static ChatConfig from(Env env) {
    return new ChatConfig(
        MessageText.maxChars(env),
        env.integer("CHAT_MAX_CLIENT_MSG_ID", 64, 8, 256),
        env.integer("CHAT_TYPING_PER_SECOND", 4, 1, 1000),
        env.integer("CHAT_TYPING_BURST", 4, 1, 1000),
        env.integer("CHAT_MESSAGES_PER_SECOND", 5, 1, 1_000_000),
        env.integer("CHAT_MESSAGES_BURST", 20, 1, 1_000_000),
        env.integer("AI_QUESTIONS_PER_MINUTE", 20, 1, 1_000_000),
        env.integer("AI_MAX_ACTIVE_PER_USER", 3, 1, 100_000),
        AssistantCatalog.read(env));
  }

  public static ChatConfig defaults() {
    return from(new Env(java.util.Map.of()));
  }
}
