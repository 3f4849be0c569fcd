package io.chorus.storage;

import static io.chorus.storage.StorageErrors.optUuid;
import static io.chorus.storage.StorageErrors.uuid;

import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Persisted conversation events: the SQL behind {@code storage.message.append} and
 * {@code storage.message.history}.
 *
 * <p>An append takes the next seq by incrementing {@code conversations.last_seq} in the same
 * transaction as the insert. The row lock that UPDATE holds until commit serialises appends to one
 * conversation across every storage node, so seqs are unique and gap-free; a resend of a known
 * {@code clientMsgId} rolls back, so it consumes no seq, and returns the first message.
 */
public final class MessageRepository {
  private static final String COLUMNS = "m.id, m.conversation_id, m.seq, m.role, m.user_id, u.username, m.content,"
      + " m.client_msg_id, m.reply_to, m.stream_id, m.finish_reason, m.error_code, m.error, m.prompt_tokens,"
      + " m.completion_tokens, m.usage_estimated, m.created_at,"
      + " m.file_id, f.filename AS file_name, f.content_type AS file_content_type, f.size AS file_size";
  // A file message shows its file (V2__files.sql); no other message has one.
  private static final String FILE_JOIN = " LEFT JOIN files f ON f.id = m.file_id";
  private static final String FROM = " FROM messages m LEFT JOIN users u ON u.id = m.user_id" + FILE_JOIN;
  private static final String FIND_BY_CLIENT_ID =
      "SELECT " + COLUMNS + FROM + " WHERE m.conversation_id = $1 AND m.client_msg_id = $2";
  /**
   * Takes the next seq and inserts the message in one statement, so the conversation's row lock is held
   * for one server-side execution and its commit, never across client round trips. A user message also
   * needs its author to be a member ($3; null for the assistant): no row back means no seq was taken. A
   * clientMsgId stored before violates messages_conversation_client_msg_key, which fails the statement
   * and undoes its seq.
   */
  private static final String APPEND = """
      WITH next AS (
        UPDATE conversations c SET last_seq = c.last_seq + 1, last_activity_at = now()
         WHERE c.id = $2
           AND ($3::uuid IS NULL
                OR EXISTS (SELECT 1 FROM members mb WHERE mb.conversation_id = c.id AND mb.user_id = $3::uuid))
        RETURNING c.last_seq),
      m AS (
        INSERT INTO messages (id, conversation_id, seq, role, user_id, content, client_msg_id, reply_to, stream_id,
                              finish_reason, error_code, error, prompt_tokens, completion_tokens, usage_estimated,
                              file_id)
        SELECT $1::uuid, $2::uuid, next.last_seq, $4::text, $5::uuid, $6::text, $7::text, $8::uuid, $9::text,
               $10::text, $11::int, $12::text, $13::int, $14::int, $15::boolean, $16::uuid
          FROM next
        RETURNING *)
      SELECT\s""" + COLUMNS + " FROM m LEFT JOIN users u ON u.id = m.user_id" + FILE_JOIN;
  private static final String CLIENT_MSG_KEY = "messages_conversation_client_msg_key";
  private static final String PAGE_AFTER = "SELECT " + COLUMNS + FROM
      + " WHERE m.conversation_id = $1 AND m.seq > $2 AND m.seq < $3 ORDER BY m.seq LIMIT $4";
  // The newest N before the bound, read backwards on the (conversation_id, seq) index, then turned around.
  private static final String PAGE_BEFORE = "SELECT * FROM (SELECT " + COLUMNS + FROM
      + " WHERE m.conversation_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3) page ORDER BY seq";

  private final Pool pool;
  private final Pool answers;

  public MessageRepository(Pool pool) {
    this(pool, pool);
  }

  /**
   * {@code answers} takes the assistant's appends: a finished answer has cost its tokens already, so it
   * must not be refused because users' sends filled {@code pool}'s wait queue; it waits for its own
   * connection instead.
   */
  public MessageRepository(Pool pool, Pool answers) {
    this.pool = pool;
    this.answers = answers;
  }

  /**
   * Stores the message with the next seq, or returns the first one stored under its clientMsgId. One
   * autocommitted statement: a send costs one round trip, and a resend (rare) a failed statement and a read.
   */
  public Future<AppendResult> append(AppendMessage request) {
    return StorageErrors.guard(Addresses.STORAGE_MESSAGE_APPEND.address(), () -> {
      MessageDraft draft = MessageDraft.of(request);
      Pool writer = AppendMessage.ROLE_ASSISTANT.equals(request.role()) ? answers : pool;
      return insertWithNextSeq(writer, draft, null)
          .map(rows -> new AppendResult(Rows.message(rows.iterator().next()), false))
          .recover(err -> isClientMsgIdTaken(err) ? storedBefore(draft) : Future.failedFuture(err));
    });
  }

  /**
   * Takes the conversation's next seq and inserts the message, in the caller's transaction when
   * {@code sql} is one, so whatever else the caller writes there commits or rolls back with the seq. The
   * one place a seq is taken; {@code fileId} links an uploaded file (null for other messages). Fails with
   * 404 or 403 when no seq was taken, and with a unique violation ({@link #isClientMsgIdTaken}) when the
   * clientMsgId was stored before.
   */
  static Future<RowSet<Row>> insertWithNextSeq(SqlClient sql, MessageDraft draft, UUID fileId) {
    return sql.preparedQuery(APPEND).execute(draft.tuple(fileId))
        .compose(rows -> rows.size() == 0 ? refusal(sql, draft) : Future.succeededFuture(rows));
  }

  static boolean isClientMsgIdTaken(Throwable err) {
    return err instanceof PgException pg && StorageErrors.isUniqueViolation(pg)
        && CLIENT_MSG_KEY.equals(pg.getConstraint());
  }

  /** No seq was taken: says why (404 unknown conversation, 403 not a member). */
  private static Future<RowSet<Row>> refusal(SqlClient sql, MessageDraft draft) {
    return ConversationRepository.access(sql, draft.conversationId(), draft.memberToCheck()).compose(access -> {
      access.requireMember();
      return Future.failedFuture(new IllegalStateException("no seq taken for a member"));
    });
  }

  /** A concurrent send with the same clientMsgId won the race; its message is the answer. */
  private Future<AppendResult> storedBefore(MessageDraft draft) {
    return find(pool, draft).map(existing -> {
      if (existing == null) {
        throw new IllegalStateException("clientMsgId conflicted but no message found");
      }
      if (!draft.sameAuthor(existing)) {
        throw new ChorusException(ErrorCode.CONFLICT, "clientMsgId already used in this conversation");
      }
      return new AppendResult(existing, true);
    });
  }

  private static Future<StoredMessage> find(SqlClient sql, MessageDraft draft) {
    return sql.preparedQuery(FIND_BY_CLIENT_ID).execute(Tuple.of(draft.conversationId(), draft.clientMsgId()))
        .map(rows -> rows.size() == 0 ? null : Rows.message(rows.iterator().next()));
  }

  /**
   * A page ascending by seq: after {@code afterSeq}, else the newest before {@code beforeSeq}, else the
   * newest. {@code lastSeq} is never below the page's last seq, though it may have grown meanwhile.
   */
  public Future<HistoryPage> history(HistoryQuery query) {
    return StorageErrors.guard(Addresses.STORAGE_MESSAGE_HISTORY.address(), () -> {
      if (query.limit() < 1) {
        throw ChorusException.badRequest("limit must be at least 1");
      }
      int limit = Math.min(query.limit(), HistoryQuery.MAX_LIMIT);
      UUID conversationId = uuid(query.conversationId(), "conversationId");
      UUID reader = optUuid(query.userId(), "userId");
      return ConversationRepository.access(pool, conversationId, reader)
          .map(access -> reader == null ? access : access.requireMember())
          .compose(access -> page(conversationId, query, limit).map(messages -> new HistoryPage(messages,
              Math.max(access.lastSeq(), messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq()))));
    });
  }

  private Future<List<StoredMessage>> page(UUID conversationId, HistoryQuery query, int limit) {
    long before = query.beforeSeq() == null ? Long.MAX_VALUE : query.beforeSeq();
    Future<RowSet<Row>> rows = query.afterSeq() != null
        ? pool.preparedQuery(PAGE_AFTER).execute(Tuple.of(conversationId, query.afterSeq(), before, limit))
        : pool.preparedQuery(PAGE_BEFORE).execute(Tuple.of(conversationId, before, limit));
    return rows.map(set -> {
      List<StoredMessage> messages = new ArrayList<>(set.size());
      set.forEach(row -> messages.add(Rows.message(row)));
      return messages;
    });
  }
}
