package io.chorus.llm.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The context in the shape the Anthropic Messages API accepts: the system prompt as a top-level
 * {@code system} string rather than a message, and {@code messages} that alternate {@code user} /
 * {@code assistant} starting with {@code user}.
 *
 * <p>A group chat does not have that shape: several members write in a row, and the window of recent
 * messages may open on an answer. So system turns are joined (blank line between) into {@code system};
 * consecutive turns of the same role are merged into one, their texts separated by a blank line, so no
 * word is lost; assistant turns before the first user turn are dropped (the model would be answering
 * itself); blank turns are skipped.
 *
 * @param system the system prompt, or null when there is none
 * @param messages user and assistant turns, alternating, the first one a user turn (empty only when the
 *     context holds no user turn at all)
 */
public record AnthropicMessages(String system, List<ChatTurn> messages) {
  static final String SEPARATOR = "\n\n";

  public AnthropicMessages {
    messages = List.copyOf(messages);
  }

  public static AnthropicMessages of(List<ChatTurn> turns) {
    StringBuilder system = new StringBuilder();
    List<ChatTurn> messages = new ArrayList<>();
    for (ChatTurn turn : turns) {
      if (turn.content().isBlank()) {
        continue;
      }
      if (ChatTurn.SYSTEM.equals(turn.role())) {
        system.append(system.length() == 0 ? "" : SEPARATOR).append(turn.content());
        continue;
      }
      String role = ChatTurn.ASSISTANT.equals(turn.role()) ? ChatTurn.ASSISTANT : ChatTurn.USER;
      if (messages.isEmpty() && role.equals(ChatTurn.ASSISTANT)) {
        continue; // Anthropic requires the first message to be the user's
      }
      int last = messages.size() - 1;
      if (last >= 0 && messages.get(last).role().equals(role)) {
        messages.set(last, new ChatTurn(role, messages.get(last).content() + SEPARATOR + turn.content()));
      } else {
        messages.add(new ChatTurn(role, turn.content()));
      }
    }
    return new AnthropicMessages(system.length() == 0 ? null : system.toString(), messages);
  }

  /** {@code [{"role":..,"content":..}, ...]}. */
  public JsonArray messagesJson() {
    JsonArray array = new JsonArray();
    messages.forEach(turn -> array.add(new JsonObject().put("role", turn.role()).put("content", turn.content())));
    return array;
  }
}
