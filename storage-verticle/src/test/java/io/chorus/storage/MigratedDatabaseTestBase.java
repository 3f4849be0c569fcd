package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What a repository IT starts from: a fresh database, migrated as storage's start-up does it, with the user,
 * conversation and message repositories on it; dropped after the class's tests. A subclass adds the
 * repositories it needs in a {@code @BeforeAll} of its own (run after this one).
 */
abstract class MigratedDatabaseTestBase {
  protected static TestDatabase db;
  protected static Vertx vertx;
  protected static Pool pool;
  protected static UserRepository users;
  protected static ConversationRepository conversations;
  protected static MessageRepository messages;

  @BeforeAll
  static void migrateAFreshDatabase() {
    db = TestDatabase.fresh();
    vertx = Vertx.vertx();
    pool = StorageFixtures.migratedPool(vertx, db);
    users = new UserRepository(pool);
    conversations = new ConversationRepository(pool);
    messages = new MessageRepository(pool);
  }

  @AfterAll
  static void dropTheDatabase() {
    await(pool.close());
    await(vertx.close());
    db.drop();
  }

  /** A new user with a unique name starting with {@code prefix}. */
  protected static UserInfo user(String prefix) {
    return await(users.createUser(new CreateUser(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), "h")));
  }

  /** A conversation of {@code owner} with {@code others} as members. */
  protected static ConversationInfo conversation(UserInfo owner, UserInfo... others) {
    return await(conversations.createConversation(new CreateConversation(owner.userId(), "t",
        Arrays.stream(others).map(UserInfo::username).toList())));
  }
}
