package io.chorus.model.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.files.FileAttachment;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StoredMessageFileTest {
  private static StoredMessage fileMessage(String text) {
    return new StoredMessage("m1", "c1", 7, StoredMessage.ROLE_FILE, "u1", "alice", text, null, null, null, null,
        null, null, null, "2025-01-01T00:00:00Z", new FileAttachment("f1", "chart.png", "image/png", 1234));
  }

  @Test
  void aFileMessageIsAnnouncedAsFileUploaded() {
    JsonObject event = fileMessage("Q3 numbers").toEvent();
    assertThat(event).isEqualTo(new JsonObject()
        .put("type", "file_uploaded").put("conversationId", "c1").put("seq", 7L).put("messageId", "m1")
        .put("fileId", "f1").put("filename", "chart.png").put("contentType", "image/png").put("size", 1234L)
        .put("url", "/api/files/f1").put("userId", "u1").put("username", "alice").put("text", "Q3 numbers")
        .put("createdAt", "2025-01-01T00:00:00Z"));
    assertThat(fileMessage("").toEvent().containsKey("text")).isFalse();
  }

  @Test
  void theFileSurvivesTheWire() {
    StoredMessage message = fileMessage("hi");
    assertThat(StoredMessage.fromJson(message.toJson())).isEqualTo(message);
    StoredMessage plain = new StoredMessage("m2", "c1", 8, "user", "u1", "alice", "x", null, null, null, null, null,
        null, null, null);
    assertThat(plain.file()).isNull();
    assertThat(plain.toJson().containsKey("file")).isFalse();
    assertThat(plain.toEvent().getString("type")).isEqualTo("new_message");
  }
}
