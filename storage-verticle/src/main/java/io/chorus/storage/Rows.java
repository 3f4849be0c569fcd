package io.chorus.storage;

import io.chorus.model.events.RoomEvents;
import io.chorus.model.files.FileAttachment;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.LastMessage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.RoomNotice;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Maps result rows to the shared-model records; column names match the repositories' SELECT lists. */
final class Rows {
  private Rows() {}

  /** A row selected with {@link MessageRepository}'s message columns. */
  static StoredMessage message(Row row) {
    Integer prompt = row.getInteger("prompt_tokens");
    Integer completion = row.getInteger("completion_tokens");
    Usage usage = prompt == null && completion == null ? null
        : new Usage(orZero(prompt), orZero(completion), Boolean.TRUE.equals(row.getBoolean("usage_estimated")));
    return new StoredMessage(
        row.getUUID("id").toString(),
        row.getUUID("conversation_id").toString(),
        row.getLong("seq"),
        row.getString("role"),
        string(row.getUUID("user_id")),
        row.getString("username"),
        row.getString("content"),
        row.getString("client_msg_id"),
        string(row.getUUID("reply_to")),
        row.getString("stream_id"),
        row.getString("finish_reason"),
        row.getInteger("error_code"),
        row.getString("error"),
        usage,
        iso(row.getOffsetDateTime("created_at")),
        file(row),
        notice(row),
        optional(row, "assistant_id"),
        optional(row, "model"),
        stoppedBy(row));
  }

  /** Who stopped an answer (V8), when a member did. */
  private static UserInfo stoppedBy(Row row) {
    Object by = row.getColumnIndex("stopped_by") < 0 ? null : row.getValue("stopped_by");
    return by instanceof JsonObject json ? UserInfo.fromJson(json) : null;
  }

  /** A column only some SELECT lists have (the message columns since V6__assistants.sql). */
  private static String optional(Row row, String column) {
    return row.getColumnIndex(column) < 0 ? null : row.getString(column);
  }

  /** What a notice says happened, when the row is one (V3__room_notices.sql). */
  private static RoomNotice notice(Row row) {
    String type = row.getColumnIndex("notice_type") < 0 ? null : row.getString("notice_type");
    if (type == null) {
      return null;
    }
    Object data = row.getValue("notice_data");
    return new RoomNotice(type, data instanceof JsonObject object ? object : new JsonObject());
  }

  /** The file a message announces, when its row has one (the message columns join files). */
  private static FileAttachment file(Row row) {
    UUID fileId = row.getColumnIndex("file_id") < 0 ? null : row.getUUID("file_id");
    return fileId == null ? null : new FileAttachment(fileId.toString(), row.getString("file_name"),
        row.getString("file_content_type"), row.getLong("file_size"));
  }

  /** A row selected with {@link ConversationRepository}'s conversation columns and member JSON. */
  static ConversationInfo conversation(Row row) {
    JsonArray members = row.getJsonArray("members");
    List<UserInfo> users = members == null ? List.of()
        : members.stream().map(m -> UserInfo.fromJson((JsonObject) m)).toList();
    Long lastRead = row.getColumnIndex("last_read_seq") < 0 ? null : row.getLong("last_read_seq");
    ConversationInfo.Viewer viewer = lastRead == null ? null
        : new ConversationInfo.Viewer(lastRead, row.getLong("unread_count").intValue(), lastMessage(row));
    return new ConversationInfo(row.getUUID("id").toString(), row.getString("title"),
        row.getUUID("owner_id").toString(), users, row.getLong("last_seq"),
        iso(row.getOffsetDateTime("last_activity_at")), optional(row, "assistant_id"),
        Boolean.TRUE.equals(row.getBoolean("answers_every_message")), viewer);
  }

  /** The {@code lm_} columns of a conversation row: its newest message, as the list shows it. */
  private static LastMessage lastMessage(Row row) {
    Long seq = row.getLong("lm_seq");
    if (seq == null) {
      return null;
    }
    String role = row.getString("lm_role");
    boolean answer = AppendMessage.ROLE_ASSISTANT.equals(role);
    String type = StoredMessage.ROLE_FILE.equals(role) ? RoomEvents.FILE_UPLOADED
        : !answer ? RoomEvents.NEW_MESSAGE
        : StoredMessage.FINISH_ERROR.equals(row.getString("lm_finish_reason")) ? RoomEvents.AI_RESPONSE_ERROR
        : RoomEvents.AI_RESPONSE_COMPLETE;
    return new LastMessage(seq, type, string(row.getUUID("lm_user_id")),
        answer ? LastMessage.ASSISTANT : row.getString("lm_username"), row.getString("lm_preview"),
        iso(row.getOffsetDateTime("lm_created_at")), answer ? row.getString("lm_assistant_id") : null);
  }

  /** ISO-8601 in UTC ({@code 2025-01-31T10:15:30.123456Z}), whatever the session time zone. */
  static String iso(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  private static String string(UUID id) {
    return id == null ? null : id.toString();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
