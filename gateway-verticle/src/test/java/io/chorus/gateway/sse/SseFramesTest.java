package io.chorus.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SseFramesTest {
  @Test
  void aPersistedEventCarriesItsSeqAsId() {
    JsonObject event = new JsonObject().put("type", "new_message").put("seq", 7).put("content", "two\nlines");
    assertThat(SseFrames.event(event).toString())
        .isEqualTo("event: new_message\nid: 7\ndata: {\"type\":\"new_message\",\"seq\":7,\"content\":\"two\\nlines\"}\n\n");
  }

  @Test
  void anEventWithoutSeqCarriesNoId() {
    assertThat(SseFrames.event(new JsonObject().put("type", "user_typing")).toString())
        .isEqualTo("event: user_typing\ndata: {\"type\":\"user_typing\"}\n\n");
  }

  @Test
  void anErrorHasTheApiErrorShape() {
    assertThat(SseFrames.error(503, "slow consumer").toString())
        .isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":\"slow consumer\",\"code\":503}\n\n");
  }
}
