package io.chorus.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendFilterTest {
  private static JsonObject message(long seq) {
    return new JsonObject().put("type", "new_message").put("seq", seq).put("messageId", "m" + seq);
  }

  private static JsonObject thinking(String stream, String replyTo) {
    return new JsonObject().put("type", "ai_thinking").put("streamId", stream).put("replyTo", replyTo);
  }

  private static JsonObject chunk(String stream, long index) {
    return new JsonObject().put("type", "ai_response_chunk").put("streamId", stream).put("index", index);
  }

  private static JsonObject complete(String stream, String replyTo, long seq) {
    return new JsonObject().put("type", "ai_response_complete").put("streamId", stream).put("replyTo", replyTo)
        .put("seq", seq);
  }

  private static List<String> describe(List<JsonObject> events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.getString("type") + ":" + e.getValue("seq", e.getValue("index", ""))));
    return out;
  }

  @Test
  void theMessageThenItsAnswerWhateverElseTheRoomSays() {
    SendFilter filter = new SendFilter(true);
    List<JsonObject> written = new ArrayList<>();
    written.addAll(filter.offer(message(9))); // someone else's, before ours was stored
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.sent("m10", 10));
    written.addAll(filter.offer(thinking("other", "m9")));
    written.addAll(filter.offer(thinking("s", "m10")));
    written.addAll(filter.offer(chunk("other", 0)));
    written.addAll(filter.offer(chunk("s", 0)));
    assertThat(filter.done()).isFalse();
    written.addAll(filter.offer(complete("s", "m10", 11)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0",
        "ai_response_complete:11");
    assertThat(filter.done()).isTrue();
    assertThat(filter.offer(message(12))).isEmpty();
  }

  @Test
  void answerEventsThatOvertookTheMessageWaitForIt() {
    SendFilter filter = new SendFilter(true);
    List<JsonObject> written = new ArrayList<>(filter.sent("m10", 10));
    written.addAll(filter.offer(thinking("s", "m10")));
    written.addAll(filter.offer(chunk("s", 0)));
    written.addAll(filter.offer(message(10)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0");
  }

  @Test
  void chunksThatOvertookTheirThinkingFollowIt() {
    SendFilter filter = new SendFilter(true);
    List<JsonObject> written = new ArrayList<>(filter.sent("m10", 10));
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.offer(chunk("s", 0)));
    written.addAll(filter.offer(thinking("s", "m10")));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0");
  }

  @Test
  void withoutAiTheMessageIsAll() {
    SendFilter filter = new SendFilter(false);
    filter.sent("m3", 3);
    assertThat(describe(filter.offer(message(3)))).containsExactly("new_message:3");
    assertThat(filter.done()).isTrue();
  }

  @Test
  void aResendOfAStoredMessageIsToldApart() {
    SendFilter filter = new SendFilter(false);
    filter.sent("m3", 3);
    assertThat(filter.storedBefore(5)).isTrue();
    assertThat(filter.storedBefore(2)).isFalse();
  }
}
