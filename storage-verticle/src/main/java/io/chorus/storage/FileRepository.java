package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.files.FileInfo;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL behind files: the membership check before an upload, the per-user limits (uploads in progress
 * in the {@code uploads} table, stored bytes summed from {@code files}; both under a lock on the user's
 * row, so that concurrent uploads of one user through any gateway and storage node are counted one after
 * the other), the file row and its message stored in one transaction (the message takes its seq through
 * {@link MessageRepository#insertWithNextSeq}, the one place seqs are taken), and a file's metadata for a
 * member of its conversation.
 */
final class FileRepository {
  /**
   * NO KEY UPDATE: serialises a user's upload starts and commits, but not the foreign-key checks (KEY
   * SHARE) of the user's messages being stored meanwhile.
   */
  private static final String LOCK_USER = "SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE";
  private static final String DROP_EXPIRED = "DELETE FROM uploads WHERE user_id = $1 AND expires_at < now()";
  private static final String USAGE = """
      SELECT (SELECT count(*) FROM uploads WHERE user_id = $1) AS uploading,
             (SELECT coalesce(sum(size), 0) FROM files WHERE uploader_id = $1)::bigint AS stored""";
  private static final String INSERT_UPLOAD = """
      INSERT INTO uploads (id, user_id, file_id, expires_at)
      VALUES ($1, $2, $3, now() + $4::bigint * interval '1 millisecond')""";
  private static final String RENEW_UPLOADS = """
      UPDATE uploads SET expires_at = now() + $2::bigint * interval '1 millisecond' WHERE id = ANY($1)""";
  private static final String DELETE_UPLOAD = "DELETE FROM uploads WHERE id = $1";
  private static final String INSERT_FILE = """
      INSERT INTO files (id, conversation_id, uploader_id, filename, content_type, size, sha256)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  /**
   * Of the given file ids, those no file row records and no upload will be stored as that is live or expired less
   * than $2 ms ago (one snapshot).
   */
  private static final String UNRECORDED = """
      SELECT k.id FROM unnest($1::uuid[]) AS k(id)
       WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = k.id)
         AND NOT EXISTS (SELECT 1 FROM uploads u
                          WHERE u.file_id = k.id AND u.expires_at >= now() - $2::bigint * interval '1 millisecond')""";
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
   * Counts a new upload of the user, to be stored as {@code fileId}, as in progress, for {@code ttlMs} unless
   * renewed: 429 when {@code maxConcurrent} are already, 413 when the user's stored files fill
   * {@code quotaBytes}. Returns the bytes the user has stored.
   */
  Future<Long> startUpload(UUID uploadId, UUID fileId, UUID userId, int maxConcurrent, long quotaBytes,
      long ttlMs) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_USER).execute(Tuple.of(userId))
        .compose(v -> conn.preparedQuery(DROP_EXPIRED).execute(Tuple.of(userId)))
        .compose(v -> conn.preparedQuery(USAGE).execute(Tuple.of(userId)))
        .compose(rows -> {
          Row usage = rows.iterator().next();
          long stored = usage.getLong("stored");
          if (usage.getLong("uploading") >= maxConcurrent) {
            throw new ChorusException(ErrorCode.RATE_LIMITED,
                "too many uploads in progress: at most " + maxConcurrent + " at once");
          }
          if (stored >= quotaBytes) {
            throw quotaExceeded(stored, quotaBytes);
          }
          return conn.preparedQuery(INSERT_UPLOAD).execute(Tuple.of(uploadId, userId, fileId, ttlMs)).map(stored);
        }));
  }

  /** Keeps the given uploads counted for {@code ttlMs} more. */
  Future<Void> renewUploads(List<UUID> uploadIds, long ttlMs) {
    return pool.preparedQuery(RENEW_UPLOADS).execute(Tuple.of(uploadIds.toArray(new UUID[0]), ttlMs)).mapEmpty();
  }

  /** The upload no longer counts (it ended without a file; a stored one ends in {@link #store}). */
  Future<Void> endUpload(UUID uploadId) {
    return pool.preparedQuery(DELETE_UPLOAD).execute(Tuple.of(uploadId)).mapEmpty();
  }

  /**
   * Records the file and appends the message that announces it, with the next seq, and ends the upload
   * that brought it, or does none of it. The uploader must still be a member (the seq statement checks
   * it: 403 otherwise) and the file must fit in their quota with everything they stored meanwhile (413).
   */
  Future<StoredMessage> store(NewFile file, String text, UUID uploadId, long quotaBytes) {
    MessageDraft draft = new MessageDraft(file.conversationId(), StoredMessage.ROLE_FILE, file.uploaderId(),
        text == null ? "" : text, null, null, null, null, null, null, null, null, null, null, null);
    Tuple fileRow = Tuple.of(file.fileId(), file.conversationId(), file.uploaderId(), file.filename(),
        file.contentType(), file.size(), file.sha256());
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_USER).execute(Tuple.of(file.uploaderId()))
        .compose(v -> conn.preparedQuery(USAGE).execute(Tuple.of(file.uploaderId())))
        .compose(rows -> {
          long stored = rows.iterator().next().getLong("stored");
          if (stored + file.size() > quotaBytes) {
            throw quotaExceeded(stored, quotaBytes);
          }
          return conn.preparedQuery(INSERT_FILE).execute(fileRow);
        })
        .compose(v -> MessageRepository.insertWithNextSeq(conn, draft, file.fileId()))
        .compose(rows -> conn.preparedQuery(DELETE_UPLOAD).execute(Tuple.of(uploadId))
            .map(Rows.message(rows.iterator().next()))));
  }

  /**
   * Of {@code fileIds} (stored files), those that no file row records and that no upload will be stored as: the
   * store's files that nothing refers to. An upload's row names its file from the start, and {@link #store} swaps
   * it for the file row in one transaction. A commit stops renewing its row while it completes the object and
   * records it, so an upload row protects its file for {@code graceMs} past its expiry too: a slow commit (a large
   * multipart completion, a wait on the user's row lock) is never swept from under it.
   */
  Future<Set<UUID>> unrecorded(List<UUID> fileIds, long graceMs) {
    if (fileIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(UNRECORDED).execute(Tuple.of(fileIds.toArray(new UUID[0]), graceMs)).map(rows -> {
      Set<UUID> ids = new HashSet<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /** 413 for an upload that does not fit in what is left of the user's quota. */
  static ChorusException quotaExceeded(long stored, long quotaBytes) {
    return new ChorusException(ErrorCode.TOO_LARGE, "storage quota exceeded: your files take " + stored
        + " of the " + quotaBytes + " bytes you may store");
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
