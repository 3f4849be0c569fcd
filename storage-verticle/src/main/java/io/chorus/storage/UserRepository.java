package io.chorus.storage;

import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.chorus.model.storage.UserCredentials;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Accounts: the SQL behind {@code storage.user.create} and {@code storage.user.find}. Passwords arrive
 * already hashed by the gateway; this class only stores and returns the hash.
 */
public final class UserRepository {
  private static final String INSERT = "INSERT INTO users (id, username, password_hash) VALUES ($1, $2, $3)";
  /** Whatever the case it is typed in (V5__usernames_without_case.sql). */
  private static final String FIND = "SELECT u.id, u.username, u.password_hash,"
      + " EXISTS (SELECT 1 FROM admin_grants g WHERE g.user_id = u.id) AS admin,"
      + " EXISTS (SELECT 1 FROM suspended_users s WHERE s.user_id = u.id) AS suspended"
      + " FROM users u WHERE lower(u.username) = lower($1)";

  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores a new account; 409 "username taken" when the name exists in any case (the unique index on
   * {@code lower(username)} decides, not a read).
   */
  public Future<UserInfo> createUser(CreateUser request) {
    return StorageErrors.guard(Addresses.STORAGE_USER_CREATE.address(), () -> {
      if (request.username() == null || request.passwordHash() == null) {
        throw ChorusException.badRequest("username and passwordHash are required");
      }
      UUID id = UUID.randomUUID();
      return pool.preparedQuery(INSERT)
          .execute(Tuple.of(id, request.username(), request.passwordHash()))
          .map(rows -> new UserInfo(id.toString(), request.username()))
          .recover(err -> StorageErrors.isUniqueViolation(err)
              ? Future.failedFuture(new ChorusException(ErrorCode.CONFLICT, "username taken"))
              : Future.failedFuture(err));
    });
  }

  /** The account with its hash, admin grant and suspension, for a login check; 404 when there is none. */
  public Future<UserCredentials> findUser(FindUser request) {
    return StorageErrors.guard(Addresses.STORAGE_USER_FIND.address(), () ->
        pool.preparedQuery(FIND).execute(Tuple.of(request.username())).map(rows -> {
          if (rows.size() == 0) {
            throw ChorusException.notFound("no such user");
          }
          Row row = rows.iterator().next();
          return new UserCredentials(
              row.getUUID("id").toString(), row.getString("username"), row.getString("password_hash"),
              row.getBoolean("admin"), row.getBoolean("suspended"));
        }));
  }
}
