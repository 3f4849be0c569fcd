package io.chorus.storage;

import io.chorus.model.Addresses;
import io.chorus.model.Ids;
import io.chorus.model.storage.AssistantUsage;
import io.chorus.model.storage.ConversationUsage;
import io.chorus.model.storage.UsageTotals;
import io.chorus.model.storage.UserRef;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind {@code storage.usage.totals}: a user's answers are the assistant messages that user asked for,
 * whatever way they ended: {@code asked_by} (V10), who sent the question or asked for the answer again (regenerate)
 * and so spent its tokens. V11 gave the answers stored before it their question's author (whom usage credited them
 * to until then), and an append fills it so for a worker that does not say, so a user's usage is read through the
 * answers' index on it rather than by scanning every message. (V10's comment, that answers without it count for the
 * question's author, held only until V11.) An answer whose question is gone and whose worker named nobody counts
 * for nobody.
 */
public final class UsageRepository {
  private static final String TOTALS = """
      SELECT c.id, c.title, count(a.id) AS answers,
             coalesce(sum(a.prompt_tokens), 0) AS prompt_tokens,
             coalesce(sum(a.completion_tokens), 0) AS completion_tokens,
             count(a.id) FILTER (WHERE a.usage_estimated) AS estimated_answers
        FROM messages a
        JOIN conversations c ON c.id = a.conversation_id
       WHERE a.role = 'assistant' AND a.asked_by = $1
       GROUP BY c.id, c.title
       ORDER BY max(a.created_at) DESC""";

  /** The same answers by the profile that gave them (NULL: answered before assistants existed). */
  private static final String BY_ASSISTANT = """
      SELECT a.assistant_id, count(a.id) AS answers,
             coalesce(sum(a.prompt_tokens), 0) AS prompt_tokens,
             coalesce(sum(a.completion_tokens), 0) AS completion_tokens
        FROM messages a
       WHERE a.role = 'assistant' AND a.asked_by = $1
       GROUP BY a.assistant_id
       ORDER BY a.assistant_id NULLS FIRST""";

  private final Pool pool;

  public UsageRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<UsageTotals> totals(UserRef user) {
    return StorageErrors.guard(Addresses.STORAGE_USAGE_TOTALS.address(), () -> {
      Tuple userId = Tuple.of(Ids.uuid(user.userId(), "userId"));
      return pool.preparedQuery(TOTALS).execute(userId).compose(rows -> {
        List<ConversationUsage> usage = new ArrayList<>();
        for (Row row : rows) {
          usage.add(new ConversationUsage(row.getUUID("id").toString(), row.getString("title"),
              row.getLong("answers"), row.getLong("prompt_tokens"), row.getLong("completion_tokens"),
              row.getLong("estimated_answers")));
        }
        return pool.preparedQuery(BY_ASSISTANT).execute(userId).map(byAssistant -> {
          List<AssistantUsage> assistants = new ArrayList<>();
          for (Row row : byAssistant) {
            assistants.add(new AssistantUsage(row.getString("assistant_id"), row.getLong("answers"),
                row.getLong("prompt_tokens"), row.getLong("completion_tokens")));
          }
          return new UsageTotals(usage, assistants);
        });
      });
    });
  }
}
