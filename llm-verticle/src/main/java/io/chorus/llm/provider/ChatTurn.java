package io.chorus.llm.provider;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** One message of the context sent to a model: {@code system}, {@code user} or {@code assistant}. */
public record ChatTurn(String role, String content) {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public ChatTurn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatTurn system(String content) {
    return new ChatTurn(SYSTEM, content);
  }

  public static ChatTurn user(String content) {
    return new ChatTurn(USER, content);
  }

  public static ChatTurn assistant(String content) {
    return new ChatTurn(ASSISTANT, content);
  }

  /** The OpenAI chat-completions form, {@code {"role":..,"content":..}}. */
  public JsonObject toOpenAi() {
    return new JsonObject().put("role", role).put("content", content);
  }
}
