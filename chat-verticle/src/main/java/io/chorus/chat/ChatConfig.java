package io.chorus.chat;

import io.chorus.model.Env;

/**
 * The chat service's settings: the longest message text in characters and the typing rate limit
 * (events per second per user, with a small burst).
 */
public record ChatConfig(int maxTextLength, int maxClientMsgIdLength, double typingPerSecond, int typingBurst) {

  public static ChatConfig from(Env env) {
    return new ChatConfig(
        env.integer("CHAT_MAX_TEXT", 32_000, 1, 1_000_000),
        env.integer("CHAT_MAX_CLIENT_MSG_ID", 64, 8, 256),
        env.integer("CHAT_TYPING_PER_SECOND", 4, 1, 1000),
        env.integer("CHAT_TYPING_BURST", 4, 1, 1000));
  }

  public static ChatConfig defaults() {
    return from(new Env(java.util.Map.of()));
  }
}
