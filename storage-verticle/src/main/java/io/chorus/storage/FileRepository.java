package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.chorus.model.files.FileInfo;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The SQL behind files: the membership check before an upload, the file row and its message stored in
 * one transaction (the message takes its seq through {@link MessageRepository#insertWithNextSeq}, the one
 * place seqs are taken), and a file's metadata for a member of its conversation.
 */
final class FileRepository {
  private static final String INSERT_FILE = """
      INSERT INTO files (id, conversation_id, uploader_id, filename, content_type, size, sha256)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  private static final String FIND = """
      SELECT f.id, f.conversation_id, f.uploader_id, f.filename, f.content_type, f.size, f.sha256, f.created_at,
             EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = f.conversation_id AND m.user_id = $2)
               AS member
        FROM files f WHERE f.id = $1""";

  /** A finished upload, ready to be recorded. */
  record NewFile(UUID fileId, UUID conversationId, UUID uploaderId, String filename, String contentType,
      long size, String sha256) {}

  private final Pool pool;

  FileRepository(Pool pool) {
    this.pool = pool;
  }

  /** 404 unknown conversation, 403 not a member. */
  Future<Void> requireMember(UUID conversationId, UUID userId) {
    return ConversationRepository.access(pool, conversationId, userId).map(access -> {
      access.requireMember();
      return null;
    });
  }

  /**
   * Records the file and appends the message that announces it, with the next seq, or neither. The
   * uploader must still be a member (the seq statement checks it: 403 otherwise).
   */
  Future<StoredMessage> store(NewFile file, String text) {
    MessageDraft draft = new MessageDraft(file.conversationId(), StoredMessage.ROLE_FILE, file.uploaderId(),
        text == null ? "" : text, null, null, null, null, null, null, null);
    Tuple fileRow = Tuple.of(file.fileId(), file.conversationId(), file.uploaderId(), file.filename(),
        file.contentType(), file.size(), file.sha256());
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_FILE).execute(fileRow)
        .compose(v -> MessageRepository.insertWithNextSeq(conn, draft, file.fileId()))
        .map(rows -> Rows.message(rows.iterator().next())));
  }

  /** The file for a member of its conversation: 404 unknown, 403 not a member. */
  Future<FileInfo> find(UUID fileId, UUID userId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(fileId, userId)).map(rows -> {
      if (rows.size() == 0) {
        throw ChorusException.notFound("no such file");
      }
      Row row = rows.iterator().next();
      if (!row.getBoolean("member")) {
        throw ChorusException.forbidden("not a member of this file's conversation");
      }
      return new FileInfo(row.getUUID("id").toString(), row.getUUID("conversation_id").toString(),
          row.getString("filename"), row.getString("content_type"), row.getLong("size"), row.getString("sha256"),
          row.getUUID("uploader_id").toString(), Rows.iso(row.getOffsetDateTime("created_at")));
    });
  }
}
