package io.chorus.storage;

import static io.chorus.model.Ids.optUuid;
import static io.chorus.model.Ids.uuid;

import io.chorus.model.ChorusException;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An {@link AppendMessage} checked and typed for the database: ids parsed (400 when malformed), the
 * role known, and an assistant message never attributed to a user (its {@code askedBy} names whose usage it counts
 * in, nothing more).
 */
record MessageDraft(
    UUID conversationId,
    String role,
    UUID userId,
    String content,
    String clientMsgId,
    UUID replyTo,
    String streamId,
    String finishReason,
    Integer errorCode,
    String error,
    Usage usage,
    String assistantId,
    String model,
    UserInfo stoppedBy,
    UUID askedBy) {

  static MessageDraft of(AppendMessage m) {
    boolean user = AppendMessage.ROLE_USER.equals(m.role());
    if (!user && !AppendMessage.ROLE_ASSISTANT.equals(m.role())) {
      throw ChorusException.badRequest("role must be user or assistant");
    }
    if (m.content() == null) {
      throw ChorusException.badRequest("content is required");
    }
    return new MessageDraft(
        uuid(m.conversationId(), "conversationId"),
        m.role(),
        user ? uuid(m.userId(), "userId") : null,
        m.content(),
        m.clientMsgId(),
        optUuid(m.replyTo(), "replyTo"),
        m.streamId(),
        m.finishReason(),
        m.errorCode(),
        m.error(),
        m.usage(),
        user ? null : m.assistantId(),
        user ? null : m.model(),
        user || m.stoppedBy() == null ? null
            : new UserInfo(uuid(m.stoppedBy().userId(), "stoppedBy.userId").toString(), m.stoppedBy().username()),
        user ? null : askedBy(m.askedBy()));
  }

  /**
   * Whose usage an answer counts in; one the worker names badly counts as named by nobody (then its question's
   * author, V11), because an answer must never fail to be stored over whom it is credited to.
   */
  private static UUID askedBy(String value) {
    try {
      return optUuid(value, "askedBy");
    } catch (ChorusException malformed) {
      return null;
    }
  }

  /** Whose membership the append requires: the author of a user message; nobody for the assistant. */
  UUID memberToCheck() {
    return userId;
  }

  /** A stored message under the same clientMsgId counts as this one only if the same author sent it. */
  boolean sameAuthor(StoredMessage stored) {
    return role.equals(stored.role()) && Objects.equals(userId == null ? null : userId.toString(), stored.userId());
  }

  /**
   * Parameters of the append statement: a fresh id, the conversation, whose membership to check, then the
   * message's columns in order, and {@code fileId} (null but for a file message).
   */
  Tuple tuple(UUID fileId) {
    return Tuple.from(Arrays.asList(UUID.randomUUID(), conversationId, memberToCheck(), role, userId, content,
        clientMsgId, replyTo, streamId, finishReason, errorCode, error,
        usage == null ? null : usage.promptTokens(),
        usage == null ? null : usage.completionTokens(),
        usage == null ? null : usage.estimated(),
        fileId, assistantId, model, stoppedBy == null ? null : stoppedBy.toJson(), askedBy));
  }
}
