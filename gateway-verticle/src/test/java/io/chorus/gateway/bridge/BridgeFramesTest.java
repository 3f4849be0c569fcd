package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BridgeFramesTest {

  @Test
  void aFrameIsVertxsJsonTextInUtf8WithNothingEscaped() {
    JsonObject event = new JsonObject()
        .put("type", "ai_chunk")
        .put("conversationId", "c-1")
        .put("seq", 42L)
        .put("index", 7)
        .put("ratio", 0.5)
        .put("done", false)
        .put("replyTo", (String) null)
        .put("content", "héllo \"you\"\n\ttab \\ 🎉 日本語 \u0001")
        .put("attachments", new JsonArray().add(new JsonObject().put("name", "a.txt").put("size", 3)).add("x"))
        .put("meta", new JsonObject().put("nested", new JsonObject().put("deep", true)));
    String address = "client.conversation.c-1";

    byte[] bytes = BridgeFrames.recFrame(address, event).getBytes();

    // The frame as Vert.x's own encoder writes it, which escapes nothing JSON does not require either.
    String text = new JsonObject().put("type", "rec").put("address", address).put("body", event).encode();
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(bytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    assertThat(BridgeFrames.rec(address, event)).isEqualTo(text);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("🎉 日本語").doesNotContain("\\u00e9");
    assertThat(new JsonObject(new String(bytes, StandardCharsets.UTF_8)).getJsonObject("body")).isEqualTo(event);
  }
}
