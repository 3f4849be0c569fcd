package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V11 on a database whose answers were stored before V10 (no asked_by): each gets its question's author, whom
 * usage credited it to, and a user's answers are found through the index, not by scanning every message.
 */
class UsageIndexMigrationIT {
  private static final String ALICE = "00000000-0000-0000-0000-00000000000a";
  private static final String BOB = "00000000-0000-0000-0000-00000000000b";
  private static final String CONVERSATION = "00000000-0000-0000-0000-0000000000c1";
  private static final String QUESTION = "00000000-0000-0000-0000-0000000000e1";
  private static final String ANSWER = "00000000-0000-0000-0000-0000000000e2";
  private static final String REGENERATED = "00000000-0000-0000-0000-0000000000e3";

  private final TestDatabase db = TestDatabase.fresh();

  @AfterEach
  void drop() throws Exception {
    db.drop();
  }

  @Test
  void olderAnswersCountForTheirQuestionsAuthorAndAUsersAnswersAreReadByIndex() throws Exception {
    String url = StorageFixtures.migratedUpTo(db, "10");
    try (Connection c = StorageFixtures.connect(db, url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO users (id, username, password_hash) VALUES ('" + ALICE + "', 'alice', 'h'), ('" + BOB
          + "', 'bob', 'h')");
      s.execute("INSERT INTO conversations (id, title, owner_id, last_seq) VALUES ('" + CONVERSATION + "', 't', '"
          + ALICE + "', 3)");
      s.execute("INSERT INTO messages (id, conversation_id, seq, role, user_id, content) VALUES ('" + QUESTION
          + "', '" + CONVERSATION + "', 1, 'user', '" + ALICE + "', 'q?')");
      // Stored before V10: nobody named.
      s.execute("INSERT INTO messages (id, conversation_id, seq, role, content, reply_to, prompt_tokens,"
          + " completion_tokens) VALUES ('" + ANSWER + "', '" + CONVERSATION + "', 2, 'assistant', 'a', '" + QUESTION
          + "', 10, 2)");
      // Stored under V10, for bob's regenerate: keeps its asker.
      s.execute("INSERT INTO messages (id, conversation_id, seq, role, content, reply_to, asked_by) VALUES ('"
          + REGENERATED + "', '" + CONVERSATION + "', 3, 'assistant', 'b', '" + QUESTION + "', '" + BOB + "')");
    }

    StorageFixtures.migrateAll(db, url);

    try (Connection c = StorageFixtures.connect(db, url); Statement s = c.createStatement()) {
      assertThat(askedBy(s, ANSWER)).isEqualTo(ALICE);
      assertThat(askedBy(s, REGENERATED)).isEqualTo(BOB);
      assertThat(askedBy(s, QUESTION)).as("a user's message counts for nobody's usage").isNull();
      // With a scan ruled out the planner must be able to use the index for the usage query's filter.
      s.execute("SET enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = s.executeQuery("EXPLAIN SELECT count(*) FROM messages a WHERE a.role = 'assistant'"
          + " AND a.asked_by = '" + ALICE + "'")) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString()).contains("messages_answers_asked_by_idx");
    }
  }

  private static String askedBy(Statement s, String messageId) throws Exception {
    try (ResultSet rows = s.executeQuery("SELECT asked_by FROM messages WHERE id = '" + messageId + "'")) {
      rows.next();
      return rows.getString(1);
    }
  }
}
