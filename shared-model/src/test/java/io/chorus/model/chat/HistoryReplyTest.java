package io.chorus.model.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HistoryReplyTest {
  private static JsonArray seqs(long... seqs) {
    JsonArray messages = new JsonArray();
    for (long seq : seqs) {
      messages.add(new JsonObject().put("type", "new_message").put("seq", seq));
    }
    return messages;
  }

  /** More follows a page that ends below the last seq, however few it holds (a page also stops at its bytes). */
  @Test
  void morePagesFollowWhileAPageEndsBelowTheLastSeq() {
    assertThat(new HistoryReply(seqs(2, 3), 9, new JsonArray()).endsBeforeLastSeq()).isTrue();
    assertThat(new HistoryReply(seqs(8, 9), 9, new JsonArray()).endsBeforeLastSeq()).isFalse();
    assertThat(new HistoryReply(new JsonArray(), 9, new JsonArray()).endsBeforeLastSeq()).as("an empty page").isFalse();
  }
}
