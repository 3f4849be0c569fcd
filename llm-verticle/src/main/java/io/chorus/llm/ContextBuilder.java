package io.chorus.llm;

import io.chorus.llm.provider.ChatTurn;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a conversation's latest stored messages into the turns sent to the model: the system prompt,
 * then the most recent user and assistant messages that fit in a character budget, oldest first.
 *
 * <p>Choices: messages after the one being answered ({@code replyTo}) are left out, so the answer
 * addresses the question it was asked for even if the room moved on. Assistant answers that failed
 * part-way ({@code finishReason=error}) are kept: members saw that text, and later questions may refer
 * to it. Other roles (files, system notices) and blank messages are skipped. When even the newest
 * message exceeds the budget, its beginning is sent rather than nothing.
 */
public final class ContextBuilder {
  private final String systemPrompt;
  private final int maxMessages;
  private final int maxChars;

  public ContextBuilder(String systemPrompt, int maxMessages, int maxChars) {
    this.systemPrompt = systemPrompt;
    this.maxMessages = maxMessages;
    this.maxChars = maxChars;
  }

  public static ContextBuilder from(LlmConfig config) {
    return new ContextBuilder(config.systemPrompt(), config.contextMessages(), config.contextChars());
  }

  /** How many of the latest messages to read from storage. */
  public int maxMessages() {
    return maxMessages;
  }

  /** {@code history} ascending by seq, as storage returns it. */
  public List<ChatTurn> build(List<StoredMessage> history, String replyTo) {
    int end = history.size();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).messageId().equals(replyTo)) {
        end = i + 1;
      }
    }
    List<ChatTurn> newestFirst = new ArrayList<>();
    int used = 0;
    for (int i = end - 1; i >= 0 && newestFirst.size() < maxMessages; i--) {
      StoredMessage message = history.get(i);
      ChatTurn turn = toTurn(message);
      if (turn == null) {
        continue;
      }
      int length = turn.content().length();
      if (used + length > maxChars) {
        if (newestFirst.isEmpty()) {
          newestFirst.add(new ChatTurn(turn.role(), turn.content().substring(0, maxChars)));
        }
        break;
      }
      used += length;
      newestFirst.add(turn);
    }
    Collections.reverse(newestFirst);
    List<ChatTurn> turns = new ArrayList<>(newestFirst.size() + 1);
    if (systemPrompt != null && !systemPrompt.isBlank()) {
      turns.add(ChatTurn.system(systemPrompt));
    }
    turns.addAll(newestFirst);
    return turns;
  }

  private static ChatTurn toTurn(StoredMessage message) {
    if (message.content() == null || message.content().isBlank()) {
      return null;
    }
    if (AppendMessage.ROLE_USER.equals(message.role())) {
      return ChatTurn.user(message.content());
    }
    if (AppendMessage.ROLE_ASSISTANT.equals(message.role())) {
      return ChatTurn.assistant(message.content());
    }
    return null;
  }
}
