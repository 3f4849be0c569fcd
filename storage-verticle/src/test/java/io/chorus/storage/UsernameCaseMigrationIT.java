package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** V5 on a database that already holds names differing only in case: the oldest keeps its name, the index builds. */
class UsernameCaseMigrationIT {
  private final TestDatabase db = TestDatabase.fresh();

  @AfterEach
  void drop() throws Exception {
    db.drop();
  }

  @Test
  void laterNamesThatDifferOnlyInCaseAreRenamedAndTheNameBecomesUniqueInAnyCase() throws Exception {
    String url = StorageFixtures.migratedUpTo(db, "4");
    try (Connection c = StorageFixtures.connect(db, url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (id, username, password_hash, created_at) VALUES "
          + "('00000000-0000-0000-0000-000000000001', 'Alice', 'h', now() - interval '2 days'),"
          + "('abcdef12-0000-0000-0000-000000000002', 'alice', 'h', now() - interval '1 day'),"
          + "('00000000-0000-0000-0000-000000000003', 'bob', 'h', now())");
    }

    StorageFixtures.migrateAll(db, url);

    try (Connection c = StorageFixtures.connect(db, url); Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet rows = s.executeQuery("SELECT username FROM users ORDER BY created_at")) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      assertThat(names).containsExactly("Alice", "alice_abcdef", "bob");
      boolean refused = false;
      try {
        s.execute("INSERT INTO users (id, username, password_hash) VALUES (gen_random_uuid(), 'BOB', 'h')");
      } catch (java.sql.SQLException e) {
        refused = "23505".equals(e.getSQLState());
      }
      assertThat(refused).as("BOB after bob: a unique violation").isTrue();
    }
  }
}
