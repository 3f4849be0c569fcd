package io.chorus.model.chat;

import io.chorus.model.Env;

/**
 * The one rule for how long a message's text may be ({@code CHAT_MAX_TEXT}): the chat service refuses longer
 * messages, and the gateway refuses a longer text sent with a file before any of the file is relayed.
 */
public final class MessageText {
  public static final int DEFAULT_MAX_CHARS = 32_000;

  private MessageText() {}

  public static int maxChars(Env env) {
    return env.integer("CHAT_MAX_TEXT", DEFAULT_MAX_CHARS, 1, 1_000_000);
  }
}
