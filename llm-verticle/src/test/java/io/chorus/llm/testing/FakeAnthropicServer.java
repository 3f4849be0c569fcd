package io.chorus.llm.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A local stand-in for the Anthropic Messages API: answers {@code POST /v1/messages} with its streaming
 * wire format ({@code message_start} with the input tokens, {@code content_block_start}, a {@code ping},
 * one {@code content_block_delta} per delta, {@code content_block_stop}, {@code message_delta} with the
 * stop reason and output tokens, {@code message_stop}), every event with its {@code event:} line. Like the
 * real API it refuses a request without {@code x-api-key} (401) or {@code anthropic-version} (400), a
 * {@code system} role inside {@code messages}, messages that do not alternate starting with {@code user},
 * and a body without {@code model}, {@code max_tokens} or {@code stream:true} (400). Error bodies and the
 * mid-stream error event have Anthropic's shape ({@code {"type":"error","error":{"type":..,"message":..}}}).
 * Scripting and inspection are {@link FakeSseServer}'s.
 */
public final class FakeAnthropicServer extends FakeSseServer {
  private volatile String stopReason = "end_turn";

  private FakeAnthropicServer(Vertx vertx) {
    super(vertx, "/v1/messages");
  }

  public static Future<FakeAnthropicServer> start(Vertx vertx) {
    FakeAnthropicServer fake = new FakeAnthropicServer(vertx);
    return fake.listen().map(v -> fake);
  }

  /** The {@code stop_reason} of following answers ({@code end_turn} unless set). */
  public void stopReason(String reason) {
    stopReason = reason;
  }

  @Override
  protected Rejection validate(HttpServerRequest request, JsonObject body) {
    if (request.getHeader("x-api-key") == null) {
      return new Rejection(401, "x-api-key header is required");
    }
    if (request.getHeader("anthropic-version") == null) {
      return new Rejection(400, "anthropic-version header is required");
    }
    if (!(body.getValue("model") instanceof String) || !(body.getValue("max_tokens") instanceof Number)) {
      return new Rejection(400, "model and max_tokens are required");
    }
    if (!body.getBoolean("stream", false)) {
      return new Rejection(400, "this fake only streams; send \"stream\": true");
    }
    if (body.containsKey("system") && !(body.getValue("system") instanceof String)) {
      return new Rejection(400, "system: this fake accepts a string");
    }
    JsonArray messages = body.getValue("messages") instanceof JsonArray array ? array : new JsonArray();
    if (messages.isEmpty()) {
      return new Rejection(400, "messages: at least one message is required");
    }
    for (int i = 0; i < messages.size(); i++) {
      String expected = i % 2 == 0 ? "user" : "assistant";
      if (!(messages.getValue(i) instanceof JsonObject message) || !expected.equals(message.getValue("role"))
          || !(message.getValue("content") instanceof String content) || content.isEmpty()) {
        return new Rejection(400, "messages." + i + ": roles must alternate between \"user\" and \"assistant\", "
            + "starting with \"user\", each with non-empty content");
      }
    }
    return null;
  }

  @Override
  protected String errorBody(int status, String message) {
    String type = switch (status) {
      case 401 -> "authentication_error";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
    return error(type, message).encode();
  }

  @Override
  protected List<String> openingFrames(JsonObject body, String id) {
    JsonObject message = new JsonObject().put("id", "msg_fake_" + id).put("type", "message").put("role", "assistant")
        .put("model", body.getString("model")).put("content", new JsonArray()).putNull("stop_reason")
        .putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", inputTokens(body)).put("output_tokens", 1));
    return List.of(
        frame("message_start", new JsonObject().put("type", "message_start").put("message", message)),
        frame("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
            .put("content_block", new JsonObject().put("type", "text").put("text", ""))),
        frame("ping", new JsonObject().put("type", "ping")));
  }

  @Override
  protected String deltaFrame(JsonObject body, String id, String text) {
    return frame("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
  }

  @Override
  protected List<String> closingFrames(JsonObject body, String id, int deltaCount) {
    return List.of(
        frame("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)),
        frame("message_delta", new JsonObject().put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", stopReason).putNull("stop_sequence"))
            .put("usage", new JsonObject().put("output_tokens", deltaCount))),
        frame("message_stop", new JsonObject().put("type", "message_stop")));
  }

  @Override
  protected String errorFrame() {
    return frame("error", error("overloaded_error", "Overloaded"));
  }

  /** A quarter of the characters of the system prompt and every message, rounded up. */
  public static int inputTokens(JsonObject body) {
    int chars = body.getString("system", "").length();
    for (Object message : body.getJsonArray("messages", new JsonArray())) {
      if (message instanceof JsonObject json && json.getValue("content") instanceof String content) {
        chars += content.length();
      }
    }
    return tokens(chars);
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }
}
