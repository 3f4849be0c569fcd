package io.chorus.storage;

import static io.chorus.model.Ids.uuid;

import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Futures;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.RoomNotice;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      + " m.file_id, f.filename AS file_name, f.content_type AS file_content_type, f.size AS file_size,"
      + " m.notice_type, m.notice_data, m.assistant_id, m.model, m.stopped_by";
  // A file message shows its file (V2__files.sql); no other message has one.
  private static final String FILE_JOIN = " LEFT JOIN files f ON f.id = m.file_id";
  private static final String FROM = " FROM messages m LEFT JOIN users u ON u.id = m.user_id" + FILE_JOIN;
  /**
   * What an append returns: the stored row as {@link #COLUMNS}, and its conversation's assistant and whether that
   * answers every member message (V8), so the chat service asks it without reading the conversation again.
   */
  private static final String APPENDED = ", cv.answers_every_message, cv.assistant_id AS conversation_assistant"
      + " FROM m LEFT JOIN users u ON u.id = m.user_id" + FILE_JOIN
      + " LEFT JOIN conversations cv ON cv.id = m.conversation_id";
  private static final String FIND_BY_CLIENT_ID =
      "SELECT " + COLUMNS + FROM + " WHERE m.conversation_id = $1 AND m.client_msg_id = $2";
  /**
   * Takes the next seq and inserts the message in one statement, so the conversation's row lock is held
   * for one server-side execution and its commit, never across client round trips. A user message also
   * needs its author to be a member ($3; null for the assistant): no row back means no seq was taken. A
   * clientMsgId stored before violates messages_conversation_client_msg_key, which fails the statement
   * and undoes its seq. An answer counts in the usage of whom it was asked by ($20), or, when its worker does not
   * say, of its question's author (V11: every answer has one, so usage is read by index).
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
                              file_id, assistant_id, model, stopped_by, asked_by)
        SELECT $1::uuid, $2::uuid, next.last_seq, $4::text, $5::uuid, $6::text, $7::text, $8::uuid, $9::text,
               $10::text, $11::int, $12::text, $13::int, $14::int, $15::boolean, $16::uuid, $17::text, $18::text,
               $19::jsonb,
               coalesce($20::uuid, (SELECT q.user_id FROM messages q
                                     WHERE $4::text = 'assistant' AND q.id = $8::uuid AND q.conversation_id = $2::uuid))
          FROM next
        RETURNING *)
      SELECT\s""" + COLUMNS + APPENDED;
  /**
   * {@link #APPEND} for several users' messages at once, in any conversations (group commit,
   * {@link AppendBatcher}): the rows of a conversation take consecutive seqs in the order given, a row
   * whose author is not a member (or whose conversation does not exist) is left out, and one commit covers
   * them all. The conversations' rows are locked in id order before they are updated, so two batches
   * that share conversations wait for each other instead of deadlocking; NO KEY UPDATE, like the UPDATE
   * itself, so inserts that only reference a conversation (members, files) are not blocked.
   */
  private static final String APPEND_USER_BATCH = """
      WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
          WITH ORDINALITY AS t(id, conversation_id, user_id, content, client_msg_id, ord)),
      allowed AS (
        SELECT i.* FROM input i
         WHERE EXISTS (SELECT 1 FROM members mb WHERE mb.conversation_id = i.conversation_id AND mb.user_id = i.user_id)),
      counts AS (SELECT conversation_id, count(*) AS n FROM allowed GROUP BY conversation_id),
      locked AS MATERIALIZED (
        SELECT c.id FROM conversations c WHERE c.id IN (SELECT conversation_id FROM counts)
         ORDER BY c.id FOR NO KEY UPDATE),
      next AS (
        UPDATE conversations c SET last_seq = c.last_seq + counts.n, last_activity_at = now()
          FROM counts JOIN locked ON locked.id = counts.conversation_id
         WHERE c.id = counts.conversation_id
        RETURNING c.id, c.last_seq - counts.n AS base),
      numbered AS (
        SELECT a.*, next.base + row_number() OVER (PARTITION BY a.conversation_id ORDER BY a.ord) AS seq
          FROM allowed a JOIN next ON next.id = a.conversation_id),
      m AS (
        INSERT INTO messages (id, conversation_id, seq, role, user_id, content, client_msg_id)
        SELECT id, conversation_id, seq, 'user', user_id, content, client_msg_id FROM numbered
        RETURNING *)
      SELECT\s""" + COLUMNS + APPENDED;
  /** A notice about member $3 takes the next seq, like {@link #APPEND}, with nobody's membership to check. */
  private static final String APPEND_NOTICE = """
      WITH next AS (
        UPDATE conversations c SET last_seq = c.last_seq + 1, last_activity_at = now() WHERE c.id = $2
        RETURNING c.last_seq),
      m AS (
        INSERT INTO messages (id, conversation_id, seq, role, user_id, content, notice_type, notice_data)
        SELECT $1::uuid, $2::uuid, next.last_seq, 'notice', $3::uuid, '', $4::text, $5::jsonb FROM next
        RETURNING *)
      SELECT\s""" + COLUMNS + " FROM m LEFT JOIN users u ON u.id = m.user_id" + FILE_JOIN;
  private static final String BY_ID = "SELECT " + COLUMNS + FROM + " WHERE m.conversation_id = $1 AND m.id = $2";
  private static final String CLIENT_MSG_KEY = "messages_conversation_client_msg_key";
  /**
   * A page of history and the reader's access in one statement (a history read is on the path of every question,
   * resume and page load): one row per message of the page, each with the conversation's last seq and whether
   * reader $2 is a member; one row with no message when the page is empty, or when $2 is not a member (the page
   * is then never read); no row for an unknown conversation. $2 null: an internal read, no member needed.
   */
  private static final String PAGE_WITH_ACCESS = """
      SELECT a.last_seq AS access_last_seq, a.member AS access_member, page.*
        FROM (SELECT c.last_seq,
                     EXISTS (SELECT 1 FROM members mb WHERE mb.conversation_id = c.id AND mb.user_id = $2) AS member
                FROM conversations c WHERE c.id = $1) a
        LEFT JOIN LATERAL (%s) page ON true
       ORDER BY page.seq""";
  private static final String MAY_READ = " AND ($2::uuid IS NULL OR a.member)";
  /**
   * A page stops at its byte budget too: a row is in it while the texts of the rows before it (in the page's order)
   * come to less than the budget, so the first always is. The running sum streams with the index scan, and LIMIT
   * still ends the scan.
   */
  private static final String WITHIN_BUDGET = "SELECT * FROM (SELECT " + COLUMNS
      + ", sum(octet_length(m.content)) OVER (ORDER BY m.seq %s) AS page_bytes" + FROM
      + " WHERE m.conversation_id = $1" + MAY_READ + " %s) sized WHERE sized.page_bytes - octet_length(sized.content) < %s";
  private static final String PAGE_AFTER = PAGE_WITH_ACCESS.formatted(WITHIN_BUDGET.formatted("",
      "AND m.seq > $3 AND m.seq < $4 ORDER BY m.seq LIMIT $5", "$6"));
  // The newest N before the bound, read backwards on the (conversation_id, seq) index (turned around above).
  private static final String PAGE_BEFORE = PAGE_WITH_ACCESS.formatted(WITHIN_BUDGET.formatted("DESC",
      "AND m.seq < $3 ORDER BY m.seq DESC LIMIT $4", "$5"));

  /** The most users' messages one batch statement carries. */
  static final int MAX_BATCH = 64;

  private final Pool pool;
  private final Pool answers;
  private final AppendBatcher<MessageDraft, AppendResult> userAppends;

  /** One pool for everything, user appends batched as {@link StorageConfig#DEFAULT_APPEND_BATCHES} allows. */
  public MessageRepository(Pool pool) {
    this(pool, pool, StorageConfig.DEFAULT_APPEND_BATCHES, StorageConfig.DEFAULT_POOL_QUEUE);
  }

  /**
   * {@code answers} takes the assistant's appends: a finished answer has cost its tokens already, so it
   * must not be refused because users' sends filled {@code pool}'s wait queue; it waits for its own
   * connection instead. Users' appends are written by at most {@code appendBatches} statements at a time;
   * those that arrive meanwhile wait, at most {@code maxWaiting} of them, and go together in the next.
   */
  public MessageRepository(Pool pool, Pool answers, int appendBatches, int maxWaiting) {
    this.pool = pool;
    this.answers = answers;
    this.userAppends = new AppendBatcher<>(appendBatches, MAX_BATCH, maxWaiting, this::writeUserAppends);
  }

  /**
   * Stores the message with the next seq, or returns the first one stored under its clientMsgId. A
   * user's message goes through the group commit; an answer has its own connections. A resend (rare)
   * costs a failed statement and a read.
   */
  public Future<AppendResult> append(AppendMessage request) {
    return StorageErrors.guard(Addresses.STORAGE_MESSAGE_APPEND.address(), () -> {
      MessageDraft draft = MessageDraft.of(request);
      return AppendMessage.ROLE_ASSISTANT.equals(request.role()) ? appendOne(answers, draft)
          : userAppends.submit(draft);
    });
  }

  /** Users' appends waiting for a batch, for metrics. */
  public int waitingAppends() {
    return userAppends.waiting();
  }

  private Future<AppendResult> appendOne(Pool writer, MessageDraft draft) {
    return insertWithNextSeq(writer, draft, null)
        .map(rows -> appended(rows.iterator().next()))
        .recover(err -> isClientMsgIdTaken(err) ? storedBefore(draft) : Future.failedFuture(err));
  }

  /**
   * One statement for the batch. What it could not store alone, a message whose author is not a member or
   * whose conversation is unknown, is tried again by itself, which says why (403, 404) or stores it if the
   * author has just been added. A clientMsgId stored before, or a value the database refuses, fails the
   * whole statement (nothing of it is kept); then each message goes by itself, which tells the resend or
   * the bad message from the rest. (A resend so costs its batch one statement per message; resends are rare.)
   */
  private Future<?> writeUserAppends(List<AppendBatcher.Pending<MessageDraft, AppendResult>> batch) {
    if (batch.size() == 1) {
      var only = batch.get(0);
      return appendOne(pool, only.item()).onComplete(only.promise());
    }
    UUID[] ids = new UUID[batch.size()];
    UUID[] conversations = new UUID[batch.size()];
    UUID[] authors = new UUID[batch.size()];
    String[] contents = new String[batch.size()];
    String[] clientMsgIds = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      MessageDraft draft = batch.get(i).item();
      ids[i] = UUID.randomUUID();
      conversations[i] = draft.conversationId();
      authors[i] = draft.userId();
      contents[i] = draft.content();
      clientMsgIds[i] = draft.clientMsgId();
    }
    Tuple params = Tuple.tuple().addArrayOfUUID(ids).addArrayOfUUID(conversations).addArrayOfUUID(authors)
        .addArrayOfString(contents).addArrayOfString(clientMsgIds);
    return pool.preparedQuery(APPEND_USER_BATCH).execute(params).transform(ar -> {
      if (ar.failed() && !isAboutOneRow(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      Map<UUID, AppendResult> stored = new HashMap<>();
      if (ar.succeeded()) {
        ar.result().forEach(row -> stored.put(row.getUUID("id"), appended(row)));
      }
      // One after another, in arrival order: the first of two messages with one clientMsgId is the one
      // stored, and the batch's messages keep their order in each conversation.
      Future<?> alone = Future.succeededFuture();
      for (int i = 0; i < batch.size(); i++) {
        var pending = batch.get(i);
        AppendResult result = stored.get(ids[i]);
        if (result != null) {
          pending.promise().complete(result);
        } else {
          alone = alone.transform(previous -> Futures.attempt(() -> appendOne(pool, pending.item()))
              .onComplete(pending.promise()));
        }
      }
      return alone;
    });
  }

  private static AppendResult appended(Row row) {
    return new AppendResult(Rows.message(row), false, Boolean.TRUE.equals(row.getBoolean("answers_every_message")),
        row.getString("conversation_assistant"));
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

  /**
   * Stores a notice about {@code memberId} with the conversation's next seq, in the caller's transaction
   * ({@code sql}), so the change it announces and its place in the room's order commit together.
   */
  static Future<StoredMessage> appendNotice(SqlClient sql, UUID conversationId, UUID memberId, RoomNotice notice) {
    return sql.preparedQuery(APPEND_NOTICE)
        .execute(Tuple.of(UUID.randomUUID(), conversationId, memberId, notice.type(), notice.data()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ChorusException.notFound("no such conversation");
          }
          return Rows.message(rows.iterator().next());
        });
  }

  /**
   * A failure one row of a batch can cause for all: a clientMsgId stored before (class 23, integrity) or a
   * value the database refuses (class 22, data exception). The batch's messages then go one at a time, so
   * only the message at fault fails and one sender cannot fail everybody's sends.
   */
  private static boolean isAboutOneRow(Throwable err) {
    return err instanceof PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
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

  /** One message, for a member: 404 unknown conversation or a message not in it, 403 non-member. */
  public Future<StoredMessage> get(MessageRef request) {
    return StorageErrors.guard(Addresses.STORAGE_MESSAGE_GET.address(), () -> {
      UUID conversationId = uuid(request.conversationId(), "conversationId");
      UUID messageId = uuid(request.messageId(), "messageId");
      return ConversationRepository.access(pool, conversationId, uuid(request.userId(), "userId"))
          .map(ConversationRepository.Access::requireMember)
          .compose(access -> pool.preparedQuery(BY_ID).execute(Tuple.of(conversationId, messageId)))
          .map(rows -> {
            if (rows.size() == 0) {
              throw ChorusException.notFound("no such message in this conversation");
            }
            return Rows.message(rows.iterator().next());
          });
    });
  }

  /**
   * A page ascending by seq: after {@code afterSeq}, else the newest before {@code beforeSeq}, else the
   * newest. {@code lastSeq} is the conversation's as of the same statement, so never below the page's last seq
   * (a message and its seq commit together), though it may have grown since.
   */
  public Future<HistoryPage> history(HistoryQuery query) {
    return StorageErrors.guard(Addresses.STORAGE_MESSAGE_HISTORY.address(), () -> {
      if (query.limit() < 1) {
        throw ChorusException.badRequest("limit must be at least 1");
      }
      int limit = Math.min(query.limit(), HistoryQuery.MAX_LIMIT);
      UUID conversationId = uuid(query.conversationId(), "conversationId");
      UUID reader = query.isInternal() ? null : uuid(query.userId(), "userId");
      long before = query.beforeSeq() == null ? Long.MAX_VALUE : query.beforeSeq();
      // A member's page is what a client asked for: bounded in bytes. A service reads whole ranges (a gap it fills).
      long budget = reader == null ? Long.MAX_VALUE : HistoryQuery.MEMBER_PAGE_BYTES;
      Future<RowSet<Row>> rows = query.afterSeq() != null
          ? pool.preparedQuery(PAGE_AFTER)
              .execute(Tuple.of(conversationId, reader, query.afterSeq(), before, limit, budget))
          : pool.preparedQuery(PAGE_BEFORE).execute(Tuple.of(conversationId, reader, before, limit, budget));
      return rows.map(set -> {
        if (set.size() == 0) {
          throw ChorusException.notFound("no such conversation");
        }
        long lastSeq = 0;
        List<StoredMessage> messages = new ArrayList<>(set.size());
        for (Row row : set) {
          if (reader != null && !row.getBoolean("access_member")) {
            throw ChorusException.forbidden("not a member of this conversation");
          }
          lastSeq = row.getLong("access_last_seq");
          if (row.getUUID("id") != null) {
            messages.add(Rows.message(row));
          }
        }
        return new HistoryPage(messages, lastSeq);
      });
    });
  }
}
