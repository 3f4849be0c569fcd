package io.chorus.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RoomFilterTest {
  private final RoomFilter filter = new RoomFilter(5);

  private static JsonObject message(long seq) {
    return new JsonObject().put("type", "new_message").put("seq", seq);
  }

  private static JsonObject chunk(String stream, long index) {
    return new JsonObject().put("type", "ai_response_chunk").put("streamId", stream).put("index", index);
  }

  private static JsonObject complete(String stream, long seq) {
    return new JsonObject().put("type", "ai_response_complete").put("streamId", stream).put("seq", seq);
  }

  @Test
  void aPersistedEventIsWrittenOnceAndOnlyAfterTheResumePoint() {
    assertThat(filter.admit(message(5))).isFalse();
    assertThat(filter.admit(message(6))).isTrue();
    assertThat(filter.admit(message(6))).as("live copy of a replayed event").isFalse();
    assertThat(filter.admit(message(7))).isTrue();
    assertThat(filter.lastSeq()).isEqualTo(7);
  }

  @Test
  void eventsWithoutSeqPassThrough() {
    assertThat(filter.admit(new JsonObject().put("type", "user_typing"))).isTrue();
    assertThat(filter.lastSeq()).isEqualTo(5);
  }

  @Test
  void afterASnapshotOnlyLaterChunksOfItsStreamAreWritten() {
    assertThat(filter.admitSnapshot(new JsonObject().put("streamId", "s").put("index", 3))).isTrue();

    assertThat(filter.admit(new JsonObject().put("type", "ai_thinking").put("streamId", "s"))).isFalse();
    assertThat(filter.admit(chunk("s", 2))).isFalse();
    assertThat(filter.admit(chunk("s", 3))).isFalse();
    assertThat(filter.admit(chunk("s", 4))).isTrue();
    assertThat(filter.admit(chunk("other", 0))).isTrue();
  }

  @Test
  void nothingOfAStreamFollowsItsTerminalEvent() {
    assertThat(filter.admit(complete("s", 6))).isTrue();

    assertThat(filter.admit(chunk("s", 9))).isFalse();
    assertThat(filter.admitSnapshot(new JsonObject().put("streamId", "s").put("index", 9))).isFalse();
    assertThat(filter.admit(complete("s", 6))).isFalse();
  }

  @Test
  void anErrorWithoutSeqEndsItsStreamOnce() {
    JsonObject error = new JsonObject().put("type", "ai_response_error").put("streamId", "s").put("code", 503);
    assertThat(filter.admit(error)).isTrue();
    assertThat(filter.admit(error.copy())).isFalse();
  }
}
