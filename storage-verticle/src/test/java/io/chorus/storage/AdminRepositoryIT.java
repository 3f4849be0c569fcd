package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.ErrorCode;
import io.chorus.model.admin.Announcement;
import io.chorus.model.admin.AnnouncementQuery;
import io.chorus.model.admin.AuditEntry;
import io.chorus.model.admin.DatabaseState;
import io.chorus.model.admin.NewAnnouncement;
import io.chorus.model.admin.SetSuspended;
import io.chorus.model.Env;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.chorus.model.storage.UserCredentials;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Grants (and the command line behind {@code ./chorus admin}), suspensions, audit and announcements. */
class AdminRepositoryIT {
  private static final TestDatabase db = TestDatabase.fresh();
  private static Vertx vertx;
  private static Pool pool;
  private static UserRepository users;
  private static AdminRepository admin;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    pool = StorageFixtures.migratedPool(vertx, db);
    users = new UserRepository(pool);
    admin = new AdminRepository(pool);
  }

  @AfterAll
  static void tearDown() {
    await(pool.close());
    await(vertx.close());
    db.drop();
  }

  @Test
  void theCommandLineGrantsAndRevokesAndAuditsIt() {
    UserInfo alice = newUser("alice");
    assertThat(found(alice).admin()).isFalse();

    assertThat(tool("grant", alice.username().toUpperCase())).isEqualTo(0);
    assertThat(found(alice).admin()).isTrue();
    assertThat(tool("grant", alice.username())).as("granting twice is no error").isEqualTo(0);
    assertThat(tool("revoke", alice.username())).isEqualTo(0);
    assertThat(found(alice).admin()).isFalse();

    assertThat(tool("grant", "nobody_" + UUID.randomUUID().toString().substring(0, 8))).isEqualTo(1);
    assertThat(tool("promote", alice.username())).isEqualTo(2);
    assertThat(auditActions(alice.userId())).containsExactly("admin.grant", "admin.grant", "admin.revoke");
  }

  @Test
  void aSuspensionShowsAtLoginAndIsListedUntilLifted() {
    UserInfo bob = newUser("bob");
    UserInfo carol = newUser("carol");
    assertThat(await(admin.setSuspended(new SetSuspended(bob.userId(), carol.userId(), true)))).isEqualTo(bob);
    assertThat(found(bob).suspended()).isTrue();
    assertThat(await(admin.suspended()).userIds()).contains(bob.userId()).doesNotContain(carol.userId());

    await(admin.setSuspended(new SetSuspended(bob.userId(), carol.userId(), false)));
    assertThat(found(bob).suspended()).isFalse();
    assertThat(await(admin.suspended()).userIds()).doesNotContain(bob.userId());
    assertThat(failure(admin.setSuspended(new SetSuspended(UUID.randomUUID().toString(), null, true))).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void announcementsAreListedAfterTheLastOneSeen() {
    Announcement first = await(admin.announce(new NewAnnouncement("first", "info", null)));
    Announcement second = await(admin.announce(new NewAnnouncement("second", "warning", null)));
    assertThat(await(admin.announcements(new AnnouncementQuery(first.announcementId()))).announcements())
        .containsExactly(second);
    assertThat(await(admin.announcements(new AnnouncementQuery(null))).announcements()).endsWith(first, second);
    assertThat(failure(admin.announce(new NewAnnouncement("x", "shout", null))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(admin.announce(new NewAnnouncement(" ", "info", null))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void aMalformedIdIsTheCallersMistakeNamingTheField() {
    var after = failure(admin.announcements(new AnnouncementQuery("not-an-id")));
    assertThat(after.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(after.getMessage()).contains("after");
    var user = failure(admin.setSuspended(new SetSuspended("42", null, true)));
    assertThat(user.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(user.getMessage()).contains("userId");
    assertThat(failure(admin.audit(new AuditEntry("x", "user.disconnect", "t", new JsonObject()))).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void auditAndDatabaseState() {
    UserInfo dave = newUser("dave");
    await(admin.audit(new AuditEntry(dave.userId(), "user.disconnect", dave.userId(), new JsonObject().put("k", 1))));
    assertThat(auditActions(dave.userId())).contains("user.disconnect");
    DatabaseState state = await(admin.databaseState());
    assertThat(state.schemaVersion())
        .isEqualTo(TestDatabase.newestSchemaVersion(Path.of("src/main/resources/db/migration")));
    assertThat(state.connections()).isPositive();
    assertThat(state.sizeBytes()).isPositive();
  }

  private static UserInfo newUser(String prefix) {
    return await(users.createUser(new CreateUser(prefix + "_" + UUID.randomUUID().toString().substring(0, 8), "h")));
  }

  private static UserCredentials found(UserInfo user) {
    return await(users.findUser(new FindUser(user.username())));
  }

  private static int tool(String... args) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
    return AdminTool.run(new Env(Map.of("PG_URI", db.uri())), args, out, out);
  }

  private static List<String> auditActions(String target) {
    List<String> actions = new ArrayList<>();
    for (Row row : await(pool.preparedQuery("SELECT action FROM admin_audit WHERE target = $1 ORDER BY id")
        .execute(io.vertx.sqlclient.Tuple.of(target)))) {
      actions.add(row.getString("action"));
    }
    return actions;
  }
}
