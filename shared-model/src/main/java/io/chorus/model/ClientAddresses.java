package io.chorus.model;

import java.util.Set;

/**
 * The addresses a client may use over the bridge (the client contract). They exist only on each
 * gateway's local event bus, never on the cluster.
 */
public final class ClientAddresses {
  private ClientAddresses() {}

  public static final String CONVERSATION_JOIN = "client.conversation.join";
  public static final String CONVERSATION_LEAVE = "client.conversation.leave";
  public static final String CHAT_SEND = "client.chat.send";
  public static final String CHAT_TYPING = "client.chat.typing";
  public static final String CHAT_HISTORY = "client.chat.history";
  public static final String CHAT_STOP = "client.chat.stop";
  /** A member changes the conversation ({@code assistantId}), as {@code PATCH /api/conversations/{id}}. */
  public static final String CONVERSATION_UPDATE = "client.conversation.update";
  /** A member has read up to {@code seq}, as {@code POST /api/conversations/{id}/read}. */
  public static final String CONVERSATION_READ = "client.conversation.read";
  /** Ask the assistant again, as {@code POST /api/conversations/{id}/messages/{messageId}/regenerate}. */
  public static final String CHAT_REGENERATE = "client.chat.regenerate";

  /** Every address a client may send to. */
  public static final Set<String> REQUESTS =
      Set.of(CONVERSATION_JOIN, CONVERSATION_LEAVE, CHAT_SEND, CHAT_TYPING, CHAT_HISTORY, CHAT_STOP,
          CONVERSATION_UPDATE, CONVERSATION_READ, CHAT_REGENERATE);

  public static final String ROOM_PREFIX = "client.room.";
  public static final String USER_PREFIX = "client.user.";

  public static String room(String conversationId) {
    return ROOM_PREFIX + conversationId;
  }

  public static String user(String userId) {
    return USER_PREFIX + userId;
  }
}
