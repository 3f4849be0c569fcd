package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameSizeTest {
  private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, four bytes in UTF-8

  private static JsonObject frame(Object text) {
    return new JsonObject().put("type", "send").put("address", "client.chat.send").put("headers", new JsonObject())
        .put("body", new JsonObject().put("conversationId", "c4a1d1de-5bd4-4b7a-9c1f-0b5f2f1c7e3a").put("text", text)
            .put("ai", false).put("n", 12.5).put("none", (Object) null))
        .put("replyAddress", "r").put("list", new JsonArray().add(1).add("é"));
  }

  /** For anything plain, exactly the bytes of the compact encoding. */
  @Test
  void equalsTheCompactUtf8EncodingForAsciiAndEscapes() {
    JsonObject ascii = frame("hello \"world\" \\ \n tab\t");
    String encoded = ascii.encode();
    assertThat(FrameSize.utf8Bytes(ascii)).isGreaterThanOrEqualTo(encoded.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(encoded.getBytes(StandardCharsets.UTF_8).length + 8);
  }

  @Test
  void countsEachEmojiAsItsFourUtf8Bytes() {
    long base = FrameSize.utf8Bytes(frame(""));
    assertThat(FrameSize.utf8Bytes(frame(EMOJI.repeat(22_000)))).isEqualTo(base + 88_000);
    assertThat(FrameSize.utf8Bytes(frame("é".repeat(10)))).isEqualTo(base + 20);
    assertThat(FrameSize.utf8Bytes(frame("€".repeat(10)))).isEqualTo(base + 30);
  }
}
