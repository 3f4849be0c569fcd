package io.chorus.chat;

import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;

/** Which stored messages a regenerate may start from: a user's question, or an assistant's answer to one. */
final class RegenerateRules {
  private RegenerateRules() {}

  /** A user's own words: not a file's message (its text is a caption) and not a notice. */
  static boolean isQuestion(StoredMessage message) {
    return message.isUserMessage() && message.file() == null && message.notice() == null;
  }

  /** An assistant's answer (complete, stopped or failed part-way) that names the question it answered. */
  static boolean isAnswer(StoredMessage message) {
    return AppendMessage.ROLE_ASSISTANT.equals(message.role()) && message.replyTo() != null;
  }
}
