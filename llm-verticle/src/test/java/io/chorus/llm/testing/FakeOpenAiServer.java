package io.chorus.llm.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A local stand-in for an OpenAI-compatible server, for tests of the LLM worker and of the whole system:
 * answers {@code POST /v1/chat/completions} with the streaming wire format of the OpenAI API (server-sent
 * {@code chat.completion.chunk} objects, a first chunk announcing the role, a final chunk with
 * {@code finish_reason}, a usage chunk when {@code stream_options.include_usage} is set, then
 * {@code data: [DONE]}). Scripting and inspection are {@link FakeSseServer}'s.
 */
public final class FakeOpenAiServer extends FakeSseServer {
  private final long created = System.currentTimeMillis() / 1000;

  private FakeOpenAiServer(Vertx vertx) {
    super(vertx, "/v1/chat/completions");
  }

  public static Future<FakeOpenAiServer> start(Vertx vertx) {
    FakeOpenAiServer fake = new FakeOpenAiServer(vertx);
    return fake.listen().map(v -> fake);
  }

  @Override
  protected Rejection validate(HttpServerRequest request, JsonObject body) {
    return body.getBoolean("stream", false) ? null : new Rejection(400, "this fake only streams; send \"stream\": true");
  }

  @Override
  protected String errorBody(int status, String message) {
    String type = status >= 500 ? "server_error" : status == 429 ? "rate_limit_exceeded" : "invalid_request_error";
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)).encode();
  }

  @Override
  protected List<String> openingFrames(JsonObject body, String id) {
    // OpenAI's first chunk announces the role with empty content.
    return List.of(frame(null, chunk(body, id, new JsonObject().put("role", "assistant").put("content", ""), null)));
  }

  @Override
  protected String deltaFrame(JsonObject body, String id, String text) {
    return frame(null, chunk(body, id, new JsonObject().put("content", text), null));
  }

  @Override
  protected List<String> closingFrames(JsonObject body, String id, int deltaCount) {
    List<String> frames = new ArrayList<>();
    frames.add(frame(null, chunk(body, id, new JsonObject(), "stop")));
    if (body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false)) {
      int prompt = promptTokens(body);
      JsonObject usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", deltaCount)
          .put("total_tokens", prompt + deltaCount);
      frames.add(frame(null, envelope(body, id).put("choices", new JsonArray()).put("usage", usage)));
    }
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  @Override
  protected String errorFrame() {
    return frame(null, new JsonObject().put("error", new JsonObject().put("message", "The fake model failed mid-stream.")
        .put("type", "server_error").putNull("param").putNull("code")));
  }

  private static int promptTokens(JsonObject body) {
    int chars = 0;
    for (Object message : body.getJsonArray("messages", new JsonArray())) {
      if (message instanceof JsonObject json && json.getValue("content") instanceof String content) {
        chars += content.length();
      }
    }
    return tokens(chars);
  }

  private JsonObject chunk(JsonObject body, String id, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs")
        .put("finish_reason", finishReason);
    return envelope(body, id).put("choices", new JsonArray().add(choice));
  }

  private JsonObject envelope(JsonObject body, String id) {
    return new JsonObject().put("id", "chatcmpl-fake-" + id).put("object", "chat.completion.chunk")
        .put("created", created).put("model", body.getString("model", "fake-model"))
        .put("system_fingerprint", "fp_fake");
  }
}
