package io.chorus.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.chat.SendResult;
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
    return new JsonObject().put("type", "ai_response_chunk").put("conversationId", "c").put("streamId", stream)
        .put("index", index).put("delta", "<" + index + ">");
  }

  /** A question stored as m{seq}, answered on stream s. */
  private static SendResult asked(long seq) {
    return new SendResult("m" + seq, seq, thinking("s", "m" + seq).put("conversationId", "c"));
  }

  private static String text(List<JsonObject> events) {
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.getString("type").equals("ai_response_chunk"))
        .forEach(e -> text.append(e.getString("delta")));
    return text.toString();
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
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>();
    written.addAll(filter.offer(message(9))); // someone else's, before ours was stored
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.sent(asked(10)));
    written.addAll(filter.offer(thinking("other", "m9")));
    written.addAll(filter.offer(thinking("s", "m10"))); // the live copy of what the reply brought
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
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>(filter.sent(asked(10)));
    written.addAll(filter.offer(chunk("s", 0)));
    written.addAll(filter.offer(chunk("s", 1)));
    written.addAll(filter.offer(message(10)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0",
        "ai_response_chunk:1");
  }

  @Test
  void aThinkingThatNeverCameLiveComesWithTheReply() {
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>(filter.sent(asked(10)));
    written.addAll(filter.offer(message(10))); // from the room's catch-up: the live one passed by
    written.addAll(filter.offer(chunk("s", 0)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0");
    assertThat(written.get(1).getString("streamId")).isEqualTo("s");
  }

  @Test
  void missedChunksAreMadeGoodFromTheSnapshotInOneChunk() {
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>(filter.sent(asked(10)));
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.offer(chunk("s", 2))); // 0 and 1 passed by
    assertThat(filter.takeSnapshotWanted()).isTrue();
    written.addAll(filter.offer(chunk("s", 3))); // held until the snapshot comes
    written.addAll(filter.offer(chunk("s", 4)));
    assertThat(filter.takeSnapshotWanted()).as("one read per gap").isFalse();

    written.addAll(filter.repaired(new JsonObject().put("streamId", "s").put("index", 3).put("text", "<0><1><2><3>")));
    written.addAll(filter.offer(chunk("s", 5)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:3",
        "ai_response_chunk:4", "ai_response_chunk:5");
    assertThat(text(written)).isEqualTo("<0><1><2><3><4><5>");
  }

  @Test
  void aGapAfterSomeChunksAddsOnlyTheTextNotYetWritten() {
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>(filter.sent(asked(10)));
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.offer(chunk("s", 0)));
    written.addAll(filter.offer(chunk("s", 2)));
    assertThat(filter.takeSnapshotWanted()).isTrue();
    written.addAll(filter.repaired(new JsonObject().put("streamId", "s").put("index", 2).put("text", "<0><1><2>")));
    written.addAll(filter.offer(chunk("s", 2))); // a late duplicate
    written.addAll(filter.offer(chunk("s", 3)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_chunk:0",
        "ai_response_chunk:2", "ai_response_chunk:3");
    assertThat(text(written)).isEqualTo("<0><1><2><3>");
  }

  @Test
  void aStreamThatEndedBeforeItsSnapshotWasReadEndsWithItsTerminalEvent() {
    SendFilter filter = new SendFilter();
    List<JsonObject> written = new ArrayList<>(filter.sent(asked(10)));
    written.addAll(filter.offer(message(10)));
    written.addAll(filter.offer(chunk("s", 1)));
    assertThat(filter.takeSnapshotWanted()).isTrue();
    written.addAll(filter.repaired(null));
    written.addAll(filter.offer(complete("s", "m10", 11)));

    assertThat(describe(written)).containsExactly("new_message:10", "ai_thinking:", "ai_response_complete:11");
    assertThat(filter.done()).isTrue();
  }

  @Test
  void withoutAiTheMessageIsAll() {
    SendFilter filter = new SendFilter();
    filter.sent(new SendResult("m3", 3));
    assertThat(describe(filter.offer(message(3)))).containsExactly("new_message:3");
    assertThat(filter.done()).isTrue();
  }

  @Test
  void aResendOfAStoredMessageIsToldApart() {
    SendFilter filter = new SendFilter();
    filter.sent(new SendResult("m3", 3));
    assertThat(filter.storedBefore(5)).isTrue();
    assertThat(filter.storedBefore(2)).isFalse();
  }
}
