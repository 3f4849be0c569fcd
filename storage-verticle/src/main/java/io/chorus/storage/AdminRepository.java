package io.chorus.storage;

import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.Ids;
import io.chorus.model.admin.Announcement;
import io.chorus.model.admin.AnnouncementList;
import io.chorus.model.admin.AnnouncementQuery;
import io.chorus.model.admin.AuditEntry;
import io.chorus.model.admin.DatabaseState;
import io.chorus.model.admin.NewAnnouncement;
import io.chorus.model.admin.SetSuspended;
import io.chorus.model.admin.SuspendedUsers;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Operators' controls (V7__admin.sql): admin grants, suspended users, the audit of admin calls, announcements and
 * the database's state. Behind {@code storage.admin.*}, {@code storage.user.suspend(ed)},
 * {@code storage.announcement.*}, {@code storage.database.state}, and the command line's {@link AdminTool}.
 */
public final class AdminRepository {
  private static final String FIND_USER = "SELECT id, username FROM users WHERE lower(username) = lower($1)";
  private static final String GRANT = "INSERT INTO admin_grants (user_id) VALUES ($1) ON CONFLICT DO NOTHING";
  private static final String REVOKE = "DELETE FROM admin_grants WHERE user_id = $1";
  private static final String AUDIT =
      "INSERT INTO admin_audit (actor_id, action, target, detail) VALUES ($1, $2, $3, $4)";
  private static final String SUSPEND = "WITH target AS (SELECT id, username FROM users WHERE id = $1), "
      + "done AS (INSERT INTO suspended_users (user_id, suspended_by) SELECT id, $2 FROM target "
      + "ON CONFLICT (user_id) DO NOTHING) SELECT id, username FROM target";
  private static final String UNSUSPEND = "WITH target AS (SELECT id, username FROM users WHERE id = $1), "
      + "done AS (DELETE FROM suspended_users WHERE user_id IN (SELECT id FROM target)) SELECT id, username FROM target";
  private static final String SUSPENDED = "SELECT user_id FROM suspended_users";
  private static final String ANNOUNCE = "INSERT INTO announcements (id, text, level, created_by) VALUES ($1, $2, $3, $4) "
      + "RETURNING id, text, level, created_at";
  private static final String LATEST = "SELECT * FROM (SELECT id, seq, text, level, created_at FROM announcements "
      + "ORDER BY seq DESC LIMIT " + AnnouncementQuery.LATEST + ") latest ORDER BY seq";
  /** After an unknown id: all of them (a page's worth), as a client that knows none would need. */
  private static final String AFTER = "SELECT id, seq, text, level, created_at FROM announcements "
      + "WHERE seq > coalesce((SELECT seq FROM announcements WHERE id = $1), 0) ORDER BY seq LIMIT " + AnnouncementQuery.PAGE;
  private static final String DATABASE_STATE = "SELECT current_setting('server_version') AS server_version, "
      + "pg_database_size(current_database()) AS size_bytes, "
      + "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())::int AS connections, "
      + "(SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1) AS schema_version";

  private final Pool pool;

  public AdminRepository(Pool pool) {
    this.pool = pool;
  }

  /** Makes the named user an admin (idempotent); 404 for an unknown name. Returns the user. */
  public Future<UserInfo> grant(String username) {
    return withUser(username, userId -> pool.preparedQuery(GRANT).execute(Tuple.of(userId)));
  }

  /** Takes the grant back (idempotent); 404 for an unknown name. Names in ADMIN_USERS stay admins. */
  public Future<UserInfo> revoke(String username) {
    return withUser(username, userId -> pool.preparedQuery(REVOKE).execute(Tuple.of(userId)));
  }

  public Future<Ack> audit(AuditEntry entry) {
    return StorageErrors.guard(Addresses.STORAGE_ADMIN_AUDIT.address(), () -> pool.preparedQuery(AUDIT)
        .execute(Tuple.of(Ids.optUuid(entry.actorId(), "actorId"), entry.action(), entry.target(), entry.detail()))
        .map(rows -> Ack.INSTANCE));
  }

  public Future<UserInfo> setSuspended(SetSuspended request) {
    return StorageErrors.guard(Addresses.STORAGE_USER_SUSPEND.address(), () -> {
      Tuple args = request.suspended()
          ? Tuple.of(Ids.uuid(request.userId(), "userId"), Ids.optUuid(request.actorId(), "actorId"))
          : Tuple.of(Ids.uuid(request.userId(), "userId"));
      return pool.preparedQuery(request.suspended() ? SUSPEND : UNSUSPEND).execute(args).map(rows -> {
        if (rows.size() == 0) {
          throw ChorusException.notFound("no such user");
        }
        Row row = rows.iterator().next();
        return new UserInfo(row.getUUID("id").toString(), row.getString("username"));
      });
    });
  }

  public Future<SuspendedUsers> suspended() {
    return StorageErrors.guard(Addresses.STORAGE_USER_SUSPENDED.address(), () -> pool.query(SUSPENDED).execute()
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID("user_id").toString()));
          return new SuspendedUsers(ids);
        }));
  }

  public Future<Announcement> announce(NewAnnouncement request) {
    return StorageErrors.guard(Addresses.STORAGE_ANNOUNCEMENT_CREATE.address(), () -> {
      if (!Announcement.LEVELS.contains(request.level())) {
        throw ChorusException.badRequest("level must be info or warning");
      }
      if (request.text().isBlank() || request.text().length() > Announcement.MAX_TEXT) {
        throw ChorusException.badRequest("text must be 1-" + Announcement.MAX_TEXT + " characters");
      }
      return pool.preparedQuery(ANNOUNCE)
          .execute(Tuple.of(UUID.randomUUID(), request.text(), request.level(), Ids.optUuid(request.createdBy(), "createdBy")))
          .map(rows -> announcement(rows.iterator().next()));
    });
  }

  public Future<AnnouncementList> announcements(AnnouncementQuery query) {
    return StorageErrors.guard(Addresses.STORAGE_ANNOUNCEMENT_LIST.address(), () -> {
      Future<RowSet<Row>> rows = query.after() == null ? pool.query(LATEST).execute()
          : pool.preparedQuery(AFTER).execute(Tuple.of(Ids.uuid(query.after(), "after")));
      return rows.map(found -> {
        List<Announcement> out = new ArrayList<>();
        found.forEach(row -> out.add(announcement(row)));
        return new AnnouncementList(out);
      });
    });
  }

  public Future<DatabaseState> databaseState() {
    return StorageErrors.guard(Addresses.STORAGE_DATABASE_STATE.address(), () -> pool.query(DATABASE_STATE).execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new DatabaseState(row.getString("server_version"), row.getString("schema_version"),
              row.getLong("size_bytes"), row.getInteger("connections"));
        }));
  }

  /** {@code change} applied to the named user's id (read from the database, so no parsing); 404 for no such user. */
  private Future<UserInfo> withUser(String username, java.util.function.Function<UUID, Future<?>> change) {
    return pool.preparedQuery(FIND_USER).execute(Tuple.of(username)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ChorusException.notFound("no user named " + username));
      }
      Row row = rows.iterator().next();
      UUID userId = row.getUUID("id");
      UserInfo user = new UserInfo(userId.toString(), row.getString("username"));
      return change.apply(userId).map(user);
    });
  }

  private static Announcement announcement(Row row) {
    return new Announcement(row.getUUID("id").toString(), row.getString("text"), row.getString("level"),
        row.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
  }
}
