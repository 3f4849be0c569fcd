package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SseFramesTest {
  private final SseFrames frames = new SseFrames("1", "bench-fake", 1_700_000_000L);

  private static JsonObject data(String event) {
    assertThat(event).startsWith("data: ").endsWith("\n\n");
    return new JsonObject(event.substring("data: ".length(), event.length() - 2));
  }

  @Test
  void aDeltaIsOneEventWithTheContent() {
    JsonObject chunk = data(frames.delta("hi \"there\"\n"));
    assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
    assertThat(chunk.getString("model")).isEqualTo("bench-fake");
    JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("delta").getString("content")).isEqualTo("hi \"there\"\n");
    assertThat(choice.containsKey("finish_reason")).isTrue();
    assertThat(choice.getValue("finish_reason")).isNull();
  }

  @Test
  void theFirstEventAnnouncesTheRole() {
    JsonObject delta = data(frames.role()).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    assertThat(delta.getString("role")).isEqualTo("assistant");
    assertThat(delta.getString("content")).isEmpty();
  }

  @Test
  void theFinishEventCarriesTheReasonAndAnEmptyDelta() {
    JsonObject choice = data(frames.finish("stop")).getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("delta").isEmpty()).isTrue();
  }

  @Test
  void usageHasNoChoicesAndTheCounts() {
    JsonObject usage = data(frames.usage(10, 5));
    assertThat(usage.getJsonArray("choices").isEmpty()).isTrue();
    assertThat(usage.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(10);
    assertThat(usage.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
    assertThat(usage.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(15);
  }

  @Test
  void doneEndsTheStream() {
    assertThat(SseFrames.DONE).isEqualTo("data: [DONE]\n\n");
  }
}
