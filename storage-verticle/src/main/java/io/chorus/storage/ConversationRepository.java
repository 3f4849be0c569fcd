package io.chorus.storage;

import static io.chorus.model.Ids.uuid;

import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.storage.AddMember;
import io.chorus.model.storage.AssistantChanged;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.ConversationList;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.LastMessage;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.RoomNotice;
import io.chorus.model.storage.SetAssistant;
import io.chorus.model.storage.SetSettings;
import io.chorus.model.storage.SettingsChanged;
import io.chorus.model.storage.UserRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Conversations and their members: the SQL behind {@code storage.conversation.create},
 * {@code storage.conversation.list}, {@code storage.conversation.get}, {@code storage.member.add},
 * {@code storage.member.remove} and {@code storage.member.check}. Also owns the one access query (exists? owner? member?) that
 * {@link MessageRepository} reuses, so 404-versus-403 is decided the same way everywhere.
 */
public final class ConversationRepository {
  /**
   * How many messages after a member's marker the unread count reads at most: the count skips the member's own
   * messages, so without this bound one who writes a lot and never marks read would make every list and join
   * read all they wrote since.
   */
  static final int UNREAD_SCAN = 10 * ConversationInfo.MAX_UNREAD + 10;
  /**
   * A conversation with its members as one JSON array (owner first, then by join time) and, for the member
   * joined as {@code me}, their read marker, the messages others wrote after it (at most
   * {@link ConversationInfo#MAX_UNREAD}, among the {@link #UNREAD_SCAN} after the marker: the count stops there
   * instead of reading every row) and the
   * newest message. Both read the (conversation_id, seq) key of messages, so a list of conversations is one
   * statement whatever its length.
   */
  private static final String INFO_COLUMNS = """
      SELECT c.id, c.title, c.owner_id, c.last_seq, c.last_activity_at, c.assistant_id, c.answers_every_message,
             me.last_read_seq,
             (SELECT json_agg(json_build_object('userId', u.id, 'username', u.username)
                              ORDER BY mm.user_id <> c.owner_id, mm.joined_at, u.username)
                FROM members mm JOIN users u ON u.id = mm.user_id
               WHERE mm.conversation_id = c.id) AS members,
             (SELECT count(*) FROM (
                SELECT 1 FROM (
                  SELECT um.user_id, um.role, um.finish_reason FROM messages um
                   WHERE um.conversation_id = c.id AND um.seq > me.last_read_seq
                   ORDER BY um.seq LIMIT\s""" + UNREAD_SCAN + """
                ) scanned
                 WHERE scanned.user_id IS DISTINCT FROM me.user_id
                   AND (scanned.role IN ('user', 'file')
                        OR (scanned.role = 'assistant' AND scanned.finish_reason <> 'error'))
                 LIMIT\s""" + ConversationInfo.MAX_UNREAD + """
      ) unread) AS unread_count,
             lm.seq AS lm_seq, lm.role AS lm_role, lm.finish_reason AS lm_finish_reason, lm.user_id AS lm_user_id,
             lm.username AS lm_username, lm.preview AS lm_preview, lm.created_at AS lm_created_at,
             lm.assistant_id AS lm_assistant_id
        FROM conversations c\s""";
  /** The newest message a member would see in the list: a user's, a file or an answer (never a notice). */
  private static final String LAST_MESSAGE = """
       LEFT JOIN LATERAL (
        SELECT m.seq, m.role, m.finish_reason, m.user_id, u.username, m.assistant_id, m.created_at,
               left(CASE WHEN m.role = 'file' THEN f.filename ELSE m.content END,\s""" + LastMessage.PREVIEW_CHARS + """
      ) AS preview
          FROM messages m LEFT JOIN users u ON u.id = m.user_id LEFT JOIN files f ON f.id = m.file_id
         WHERE m.conversation_id = c.id AND m.role IN ('user', 'file', 'assistant')
         ORDER BY m.seq DESC LIMIT 1) lm ON true""";
  /**
   * A conversation as nobody in particular sees it: what the gateways' room checks and the chat service's
   * questions read on every register and every question, so it reads no messages.
   */
  private static final String GET_PLAIN = """
      SELECT c.id, c.title, c.owner_id, c.last_seq, c.last_activity_at, c.assistant_id, c.answers_every_message,
             (SELECT json_agg(json_build_object('userId', u.id, 'username', u.username)
                              ORDER BY mm.user_id <> c.owner_id, mm.joined_at, u.username)
                FROM members mm JOIN users u ON u.id = mm.user_id
               WHERE mm.conversation_id = c.id) AS members
        FROM conversations c WHERE c.id = $1""";
  /** $1 the conversation, $2 whose view (null or a non-member: no view). */
  private static final String GET = INFO_COLUMNS
      + "LEFT JOIN members me ON me.conversation_id = c.id AND me.user_id = $2::uuid " + LAST_MESSAGE + " WHERE c.id = $1";
  /**
   * The most conversations a list holds: those with the newest activity. Others add a user to conversations, so
   * without a bound they could make one list (each with its members) as large as they liked.
   */
  static final int MAX_LISTED = 500;
  static final String LIST = INFO_COLUMNS
      // The conversations first, then their details: the members, unread counts and last message of those only.
      + "JOIN (SELECT lc.id FROM conversations lc JOIN members lm ON lm.conversation_id = lc.id AND lm.user_id = $1"
      + " ORDER BY lc.last_activity_at DESC, lc.created_at DESC, lc.id LIMIT " + MAX_LISTED + ") listed"
      + " ON listed.id = c.id "
      + "JOIN members me ON me.conversation_id = c.id AND me.user_id = $1 " + LAST_MESSAGE
      + " ORDER BY c.last_activity_at DESC, c.created_at DESC, c.id";
  /**
   * Moves the marker forward only; the second column is the marker before (a sub-select sees the statement's
   * snapshot), so the effective marker is the first when it moved, else the second.
   */
  private static final String MARK_READ = """
      WITH moved AS (
        UPDATE members SET last_read_seq = $3 WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3
        RETURNING last_read_seq)
      SELECT (SELECT last_read_seq FROM moved) AS moved_to,
             (SELECT last_read_seq FROM members WHERE conversation_id = $1 AND user_id = $2) AS before""";
  private static final String ACCESS = """
      SELECT c.last_seq, c.owner_id,
             EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = c.id AND m.user_id = $2) AS member
        FROM conversations c WHERE c.id = $1""";
  /** By name in any case ($1 lower-cased): names are unique without regard to case. */
  private static final String USERS_BY_NAME = "SELECT id, username FROM users WHERE lower(username) = ANY($1)";
  // Inserts nothing when the owner does not exist, which reads better than a foreign-key error.
  private static final String INSERT_CONVERSATION = """
      INSERT INTO conversations (id, title, owner_id, assistant_id, answers_every_message)
      SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::boolean WHERE EXISTS (SELECT 1 FROM users WHERE id = $3::uuid)""";
  private static final String SET_ASSISTANT = "UPDATE conversations SET assistant_id = $2 WHERE id = $1";
  private static final String SET_SETTINGS = "UPDATE conversations SET answers_every_message = $2 WHERE id = $1";
  private static final String ADD_MEMBERS =
      "INSERT INTO members (conversation_id, user_id) SELECT $1::uuid, unnest($2::uuid[]) ON CONFLICT DO NOTHING";
  private static final String LOCK_CONVERSATION = "SELECT id FROM conversations WHERE id = $1 FOR NO KEY UPDATE";
  private static final String DELETE_MEMBER = "DELETE FROM members WHERE conversation_id = $1 AND user_id = $2";
  /** An owner who leaves hands the conversation to the member who has been in it longest (none left: no change). */
  private static final String PASS_OWNERSHIP = """
      UPDATE conversations c SET owner_id = heir.user_id
        FROM (SELECT user_id FROM members WHERE conversation_id = $1 ORDER BY joined_at, user_id LIMIT 1) heir
       WHERE c.id = $1
      RETURNING c.owner_id""";

  /** What one user may do in one conversation. */
  record Access(long lastSeq, UUID ownerId, boolean member) {
    Access requireMember() {
      if (!member) {
        throw ChorusException.forbidden("not a member of this conversation");
      }
      return this;
    }
  }

  private final Pool pool;

  public ConversationRepository(Pool pool) {
    this.pool = pool;
  }

  /** One transaction: the conversation, the owner and every named member, or nothing (404 on an unknown name). */
  public Future<ConversationInfo> createConversation(CreateConversation request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_CREATE.address(), () -> {
      UUID owner = uuid(request.ownerId(), "ownerId");
      UUID id = UUID.randomUUID();
      return pool.withTransaction(conn -> resolveUsers(conn, request.memberUsernames())
          .compose(memberIds -> conn.preparedQuery(INSERT_CONVERSATION)
              .execute(Tuple.of(id, request.title(), owner, request.assistantId(), request.answersEveryMessage()))
              .compose(inserted -> {
                if (inserted.rowCount() == 0) {
                  throw ChorusException.notFound("no such user: " + owner);
                }
                LinkedHashSet<UUID> all = new LinkedHashSet<>();
                all.add(owner);
                all.addAll(memberIds);
                return addMembers(conn, id, all);
              }))
          .compose(v -> load(conn, id, owner)));
    });
  }

  /** The user's conversations with their members, newest activity first. */
  public Future<ConversationList> listConversations(UserRef request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_LIST.address(), () ->
        pool.preparedQuery(LIST).execute(Tuple.of(uuid(request.userId(), "userId"))).map(rows -> {
          List<ConversationInfo> list = new ArrayList<>(rows.size());
          rows.forEach(row -> list.add(Rows.conversation(row)));
          return new ConversationList(list);
        }));
  }

  /**
   * For a member only: 404 unknown conversation, 403 not a member. Without the member's view (read marker,
   * unread count, last message): see {@link #viewConversation}.
   */
  public Future<ConversationInfo> getConversation(MemberRef request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_GET.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      return access(pool, id, uuid(request.userId(), "userId"))
          .map(Access::requireMember)
          .compose(a -> pool.preparedQuery(GET_PLAIN).execute(Tuple.of(id)))
          .map(rows -> {
            if (rows.size() == 0) {
              throw ChorusException.notFound("no such conversation");
            }
            return Rows.conversation(rows.iterator().next());
          });
    });
  }

  /** As {@link #getConversation}, with the member's read marker, unread count and last message. */
  public Future<ConversationInfo> viewConversation(MemberRef request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_VIEW.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID member = uuid(request.userId(), "userId");
      return access(pool, id, member).map(Access::requireMember).compose(a -> load(pool, id, member));
    });
  }

  /** The owner adds a user by name; adding an existing member changes nothing. */
  public Future<ConversationInfo> addMember(AddMember request) {
    return StorageErrors.guard(Addresses.STORAGE_MEMBER_ADD.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID actor = uuid(request.actorId(), "actorId");
      return access(pool, id, actor)
          .compose(a -> {
            // Checked before resolving the name, so a non-owner cannot probe which users exist. An owner who left
            // (the last member) owns nothing any more.
            if (!a.ownerId().equals(actor) || !a.member()) {
              throw ChorusException.forbidden("only the owner can add members");
            }
            return resolveUsers(pool, List.of(request.username()));
          })
          .compose(ids -> addMembers(pool, id, ids))
          .compose(v -> load(pool, id, actor));
    });
  }

  /**
   * A member leaves, or the owner removes another member: one transaction deletes the membership, hands an
   * owner's conversation on when the owner leaves, and stores the notice with the next seq. 404 for an
   * unknown conversation or a user who is not a member, 403 for an actor who is not a member or removes
   * someone else without owning the conversation.
   */
  public Future<MemberRemoved> removeMember(RemoveMember request) {
    return StorageErrors.guard(Addresses.STORAGE_MEMBER_REMOVE.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID actor = uuid(request.actorId(), "actorId");
      UUID member = uuid(request.userId(), "userId");
      RoomNotice notice = request.isLeaving() ? new RoomNotice(RoomEvents.MEMBER_LEFT, new JsonObject())
          : new RoomNotice(RoomEvents.MEMBER_REMOVED, new JsonObject().put("removedBy",
              new JsonObject().put("userId", request.actorId()).put("username", request.actorUsername())));
      // The conversation's row is locked first, so membership changes of one conversation go one at a time: two
      // members leaving at once cannot hand it to each other.
      return pool.withTransaction(conn -> conn.preparedQuery(LOCK_CONVERSATION).execute(Tuple.of(id))
          .compose(locked -> access(conn, id, actor))
          .compose(a -> {
            a.requireMember();
            boolean owner = a.ownerId().equals(actor);
            if (!request.isLeaving() && !owner) {
              throw ChorusException.forbidden("only the owner can remove members");
            }
            return conn.preparedQuery(DELETE_MEMBER).execute(Tuple.of(id, member)).compose(deleted -> {
              if (deleted.rowCount() == 0) {
                throw ChorusException.notFound("not a member of this conversation");
              }
              if (!(request.isLeaving() && owner)) {
                return Future.succeededFuture(a.ownerId());
              }
              // No member left to inherit it: it stays with the one who left (who can no longer act on it).
              return conn.preparedQuery(PASS_OWNERSHIP).execute(Tuple.of(id)).map(rows -> rows.size() == 0
                  ? a.ownerId() : rows.iterator().next().getUUID("owner_id"));
            });
          })
          // The owner after the change, so every member's client knows who may now add and remove.
          .compose(ownerNow -> MessageRepository.appendNotice(conn, id, member,
              new RoomNotice(notice.type(), notice.data().copy().put("ownerId", ownerNow.toString()))))
          .compose(stored -> load(conn, id, actor).map(after -> new MemberRemoved(stored, after))));
    });
  }

  /**
   * A member switches the conversation's assistant: one transaction, the conversation's row locked, sets it and
   * stores an {@code assistant_changed} notice (about the member who did it) with the next seq. Switching to
   * the assistant it already has is stored too: members asked for it, and it is harmless. 404 for an unknown
   * conversation, 403 for a non-member.
   */
  public Future<AssistantChanged> setAssistant(SetAssistant request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_ASSISTANT_SET.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID actor = uuid(request.actorId(), "actorId");
      RoomNotice notice = new RoomNotice(RoomEvents.ASSISTANT_CHANGED, new JsonObject()
          .put("assistantId", request.assistantId())
          .put("name", request.assistantName())
          .put("changedBy", new JsonObject().put("userId", request.actorId()).put("username", request.actorUsername())));
      return pool.withTransaction(conn -> conn.preparedQuery(LOCK_CONVERSATION).execute(Tuple.of(id))
          .compose(locked -> access(conn, id, actor))
          .compose(a -> {
            a.requireMember();
            return conn.preparedQuery(SET_ASSISTANT).execute(Tuple.of(id, request.assistantId()));
          })
          .compose(updated -> MessageRepository.appendNotice(conn, id, actor, notice))
          .compose(stored -> load(conn, id, actor).map(after -> new AssistantChanged(stored, after))));
    });
  }

  /**
   * A member sets whether the assistant answers every member message: one transaction, the conversation's row
   * locked, sets it and stores a {@code conversation_settings_changed} notice (about the member who did it) with
   * the next seq, as {@link #setAssistant} does. 404 for an unknown conversation, 403 for a non-member.
   */
  public Future<SettingsChanged> setSettings(SetSettings request) {
    return StorageErrors.guard(Addresses.STORAGE_CONVERSATION_SETTINGS_SET.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID actor = uuid(request.actorId(), "actorId");
      RoomNotice notice = new RoomNotice(RoomEvents.CONVERSATION_SETTINGS_CHANGED,
          new JsonObject().put("answersEveryMessage", request.answersEveryMessage()));
      return pool.withTransaction(conn -> conn.preparedQuery(LOCK_CONVERSATION).execute(Tuple.of(id))
          .compose(locked -> access(conn, id, actor))
          .compose(a -> {
            a.requireMember();
            return conn.preparedQuery(SET_SETTINGS).execute(Tuple.of(id, request.answersEveryMessage()));
          })
          .compose(updated -> MessageRepository.appendNotice(conn, id, actor, notice))
          .compose(stored -> load(conn, id, actor).map(after -> new SettingsChanged(stored, after))));
    });
  }

  /**
   * A member has read up to {@code seq}: the marker moves forward only (a lower seq leaves it, and the reply says
   * where it is). 404 unknown conversation, 403 non-member, 400 for a seq below 0 or above the last seq.
   */
  public Future<ReadMarker> markRead(MarkRead request) {
    return StorageErrors.guard(Addresses.STORAGE_MEMBER_READ.address(), () -> {
      UUID id = uuid(request.conversationId(), "conversationId");
      UUID member = uuid(request.userId(), "userId");
      return access(pool, id, member).compose(a -> {
        a.requireMember();
        if (request.seq() < 0) {
          throw ChorusException.badRequest("seq must not be negative");
        }
        // The last seq only grows, so a seq within it now stays within it.
        if (request.seq() > a.lastSeq()) {
          throw ChorusException.badRequest("seq " + request.seq() + " is beyond the conversation's last seq "
              + a.lastSeq());
        }
        return pool.preparedQuery(MARK_READ).execute(Tuple.of(id, member, request.seq()));
      }).map(rows -> {
        Row row = rows.iterator().next();
        Long movedTo = row.getLong("moved_to");
        Long before = row.getLong("before");
        if (movedTo == null && before == null) {
          throw ChorusException.forbidden("not a member of this conversation"); // left meanwhile
        }
        return new ReadMarker(request.conversationId(), movedTo != null ? movedTo : before, movedTo != null);
      });
    });
  }

  /** Succeeds for a member; 403 for anyone else, 404 for an unknown conversation. */
  public Future<Ack> checkMember(MemberRef request) {
    return StorageErrors.guard(Addresses.STORAGE_MEMBER_CHECK.address(), () ->
        access(pool, uuid(request.conversationId(), "conversationId"), uuid(request.userId(), "userId"))
            .map(a -> {
              a.requireMember();
              return Ack.INSTANCE;
            }));
  }

  /** Exists, owner, and whether {@code userId} (may be null) is a member; 404 for an unknown conversation. */
  static Future<Access> access(SqlClient sql, UUID conversationId, UUID userId) {
    return sql.preparedQuery(ACCESS).execute(Tuple.of(conversationId, userId)).map(rows -> {
      if (rows.size() == 0) {
        throw ChorusException.notFound("no such conversation");
      }
      Row row = rows.iterator().next();
      return new Access(row.getLong("last_seq"), row.getUUID("owner_id"), row.getBoolean("member"));
    });
  }

  /** Ids of the named users (in any case) in the order given; 404 names the first unknown one. */
  private static Future<List<UUID>> resolveUsers(SqlClient sql, List<String> usernames) {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(usernames));
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Tuple params = Tuple.tuple().addArrayOfString(names.stream().map(ConversationRepository::lower)
        .toArray(String[]::new));
    return sql.preparedQuery(USERS_BY_NAME).execute(params).map(rows -> {
      Map<String, UUID> byName = new HashMap<>();
      rows.forEach(row -> byName.put(lower(row.getString("username")), row.getUUID("id")));
      List<UUID> ids = new ArrayList<>(names.size());
      for (String name : names) {
        UUID id = byName.get(lower(name));
        if (id == null) {
          throw ChorusException.notFound("no such user: " + name);
        }
        ids.add(id);
      }
      return ids;
    });
  }

  /** As PostgreSQL's lower() does for the names Chorus allows (ASCII letters, digits, '_', '.', '-'). */
  private static String lower(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Existing members stay as they are (ON CONFLICT DO NOTHING), so adding twice is harmless. */
  private static Future<?> addMembers(SqlClient sql, UUID conversationId, Collection<UUID> userIds) {
    return sql.preparedQuery(ADD_MEMBERS)
        .execute(Tuple.tuple().addUUID(conversationId).addArrayOfUUID(userIds.toArray(UUID[]::new)));
  }

  /** The conversation as {@code viewer} sees it (no view when null or not a member). */
  private static Future<ConversationInfo> load(SqlClient sql, UUID id, UUID viewer) {
    return sql.preparedQuery(GET).execute(Tuple.of(id, viewer)).map(rows -> {
      if (rows.size() == 0) {
        throw ChorusException.notFound("no such conversation");
      }
      return Rows.conversation(rows.iterator().next());
    });
  }
}
