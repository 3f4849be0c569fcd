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

  @Test
  void aChunkThatSkipsAnIndexAsksForTheNewerSnapshotWhichThenReplacesWhatWasWritten() {
    assertThat(filter.admitSnapshot(snapshot("s", 3))).isTrue();
    assertThat(filter.skipsAhead(chunk("s", 4))).isFalse();
    assertThat(filter.admit(chunk("s", 4))).isTrue();

    JsonObject sixth = chunk("s", 6);
    assertThat(filter.skipsAhead(sixth)).as("chunk 5 passed the gateway by").isTrue();
    assertThat(filter.admitSnapshot(snapshot("s", 4))).as("a snapshot no newer than what was written").isFalse();
    assertThat(filter.admitSnapshot(snapshot("s", 6))).isTrue();
    assertThat(filter.admit(sixth)).as("held while the snapshot was read: its text is in it").isFalse();
    assertThat(filter.skipsAhead(chunk("s", 7))).isFalse();
    assertThat(filter.admit(chunk("s", 7))).isTrue();
  }

  @Test
  void anAnswerFollowedFromItsThinkingHasEveryChunkCounted() {
    assertThat(filter.admit(new JsonObject().put("type", "ai_thinking").put("streamId", "s"))).isTrue();
    assertThat(filter.skipsAhead(chunk("s", 0))).isFalse();
    assertThat(filter.admit(chunk("s", 0))).isTrue();
    assertThat(filter.skipsAhead(chunk("s", 2))).isTrue();
    assertThat(filter.admitSnapshot(snapshot("s", 2))).isTrue();
  }

  @Test
  void anAnswerJoinedMidwayWithoutASnapshotIsNotJudged() {
    // From now (no resume): chunks come from wherever the answer is; there is no start to count from.
    assertThat(filter.skipsAhead(chunk("s", 5))).isFalse();
    assertThat(filter.admit(chunk("s", 5))).isTrue();
    assertThat(filter.skipsAhead(chunk("s", 9))).isFalse();
    assertThat(filter.admit(chunk("s", 9))).isTrue();
  }

  @Test
  void nothingIsAskedForAnEndedStream() {
    assertThat(filter.admitSnapshot(snapshot("s", 1))).isTrue();
    assertThat(filter.admit(complete("s", 6))).isTrue();
    assertThat(filter.skipsAhead(chunk("s", 5))).isFalse();
  }

  private static JsonObject snapshot(String stream, long index) {
    return new JsonObject().put("streamId", stream).put("index", index).put("text", "...");
  }
}
