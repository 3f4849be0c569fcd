package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.llm.testing.FakeOpenAiServer;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Issue 15, assistants per conversation, across separate JVMs: two assistant profiles on two fake providers
 * (each records the model and system prompt it is asked for), each profile served by its own LLM worker pool
 * ({@code LLM_ASSISTANTS}) in its own JVM. A conversation is answered only by its assistant's provider with
 * that assistant's prompt; switching it is a persisted {@code assistant_changed} event and the next answer
 * comes from the other provider; with the expert pool's only worker killed its questions end with a 503
 * naming it while the general assistant keeps answering; the listing leaks no secret.
 */
class AssistantsIT extends ClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String PROMPT_A = "You are General, a helpful generalist.";
  private static final String PROMPT_B = "You are a Visa expert: answer only about visas and immigration.";
  private static final String KEY_A = "sk-general-secret-0001";
  private static final String KEY_B = "sk-visa-secret-0002";

  private Vertx fakes;
  private FakeOpenAiServer providerA;
  private FakeOpenAiServer providerB;
  private final List<ServiceProcess> workers = new ArrayList<>();

  @Override
  protected ClusterHarness startCluster() {
    fakes = Vertx.vertx();
    providerA = Wait.on(FakeOpenAiServer.start(fakes), 10);
    providerB = Wait.on(FakeOpenAiServer.start(fakes), 10);
    providerA.answerWith(List.of("general ", "answer"), 0);
    providerB.answerWith(List.of("visa ", "answer"), 0);
    JsonArray profiles = new JsonArray()
        .add(new JsonObject().put("id", "general").put("name", "General").put("description", "Everyday questions")
            .put("provider", "openai").put("baseUrl", providerA.baseUrl()).put("model", "model-a")
            .put("apiKeyEnv", "GENERAL_KEY").put("systemPrompt", PROMPT_A))
        .add(new JsonObject().put("id", "visa").put("name", "Visa expert").put("provider", "openai")
            .put("baseUrl", providerB.baseUrl()).put("model", "model-b").put("apiKeyEnv", "VISA_KEY")
            .put("systemPrompt", PROMPT_B).put("temperature", 0.2).put("contextMessages", 10));
    try {
      Path file = Files.createTempFile("assistants", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, profiles.encodePrettily());
      return ClusterHarness.start(Map.of("ASSISTANTS_FILE", file.toString(), "GENERAL_KEY", KEY_A,
          "VISA_KEY", KEY_B), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopWorkersAndFakes() {
    workers.forEach(ServiceProcess::close);
    if (fakes != null) {
      Wait.on(fakes.close(), 10);
    }
  }

  private ServiceProcess startPool(String name, String assistants) {
    ServiceProcess worker =
        cluster.startService(name, io.chorus.llm.Main.class, Map.of("LLM_ASSISTANTS", assistants)).awaitUp();
    workers.add(worker);
    return worker;
  }

  @Test
  void eachConversationIsAnsweredByItsAssistantsPoolAndASwitchIsAnnounced() {
    startPool("llm-general", "general");
    ServiceProcess expert = startPool("llm-expert", "visa");

    Account alice = api.register("alice");
    Account bob = api.register("bob");
    Wait.until("both assistants served", WAIT, () -> served(alice).equals(Map.of("general", true, "visa", true)));
    String listing = api.call(HttpMethod.GET, "/api/assistants", alice.token(), null).bodyAsString();
    assertThat(listing).as("no key, key variable, base URL or prompt in the listing")
        .doesNotContain(KEY_A, KEY_B, "GENERAL_KEY", "VISA_KEY", providerA.baseUrl(), providerB.baseUrl(),
            "127.0.0.1", PROMPT_A, PROMPT_B, "apiKey", "baseUrl", "systemPrompt");
    JsonObject visa = new JsonObject(listing).getJsonArray("assistants").getJsonObject(1);
    assertThat(visa.fieldNames()).containsExactlyInAnyOrder("id", "name", "model", "provider", "served");
    assertThat(visa.getString("name")).isEqualTo("Visa expert");
    assertThat(visa.getString("model")).isEqualTo("model-b");

    JsonObject created = api.expect(201, HttpMethod.POST, "/api/conversations", alice.token(), new JsonObject()
        .put("title", "trip").put("members", new JsonArray().add(bob.username())).put("assistantId", "general"));
    String conversation = created.getString("conversationId");
    assertThat(created.getString("assistantId")).isEqualTo("general");
    assertThat(api.call(HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "x").put("assistantId", "nobody")).statusCode()).isEqualTo(400);

    try (BridgeClient socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.enter(conversation);

      JsonObject first = ask(socket, conversation, "q1");
      assertThat(first.getString("type")).isEqualTo("ai_response_complete");
      assertThat(first.getString("content")).isEqualTo("general answer");
      assertThat(first.getString("assistantId")).isEqualTo("general");
      assertThat(first.getString("model")).isEqualTo("model-a");
      assertThat(providerB.requests()).as("B's provider was not asked").isEmpty();
      assertThat(providerA.requests()).singleElement().satisfies(request -> {
        assertThat(request.getString("model")).isEqualTo("model-a");
        assertThat(systemPrompt(request)).isEqualTo(PROMPT_A);
      });
      assertThat(providerA.requestHeaders().get(0).get("authorization")).isEqualTo("Bearer " + KEY_A);

      // Bob switches over HTTP; everyone in the room hears it, in order, with its seq.
      assertThat(api.call(HttpMethod.PATCH, "/api/conversations/" + conversation, bob.token(),
          new JsonObject().put("assistantId", "tax")).statusCode()).as("an unknown profile").isEqualTo(400);
      JsonObject patched = api.expect(200, HttpMethod.PATCH, "/api/conversations/" + conversation, bob.token(),
          new JsonObject().put("assistantId", "visa"));
      assertThat(patched.getString("assistantId")).isEqualTo("visa");
      JsonObject changed = socket.awaitEvent("assistant_changed");
      assertThat(changed.getLong("seq")).isEqualTo(first.getLong("seq") + 1);
      assertThat(changed.getString("assistantId")).isEqualTo("visa");
      assertThat(changed.getString("name")).isEqualTo("Visa expert");
      assertThat(changed.getJsonObject("changedBy"))
          .isEqualTo(new JsonObject().put("userId", bob.userId()).put("username", bob.username()));

      JsonObject second = ask(socket, conversation, "q2");
      assertThat(second.getString("content")).isEqualTo("visa answer");
      assertThat(second.getString("assistantId")).isEqualTo("visa");
      assertThat(second.getString("model")).isEqualTo("model-b");
      assertThat(providerA.requests()).as("A's provider was not asked again").hasSize(1);
      assertThat(providerB.requests()).singleElement().satisfies(request -> {
        assertThat(request.getString("model")).isEqualTo("model-b");
        assertThat(systemPrompt(request)).isEqualTo(PROMPT_B);
        assertThat(request.getDouble("temperature")).isEqualTo(0.2);
      });

      JsonObject history = api.expect(200, HttpMethod.GET, "/api/conversations/" + conversation + "/messages",
          alice.token(), null);
      assertThat(history.getJsonArray("messages").stream().map(JsonObject.class::cast)
          .filter(e -> "assistant_changed".equals(e.getString("type"))).map(e -> e.getLong("seq") + " "
              + e.getString("assistantId") + " " + e.getString("name")).toList())
          .as("the switch is in history like any other event")
          .containsExactly(changed.getLong("seq") + " visa Visa expert");

      // The expert pool's only worker dies: its questions end with a 503 naming it, General keeps answering.
      expert.kill9();
      Wait.until("visa no longer served", WAIT, () -> !served(alice).get("visa"));
      JsonObject refused = ask(socket, conversation, "q3");
      assertThat(refused.getString("type")).isEqualTo("ai_response_error");
      assertThat(refused.getInteger("code")).isEqualTo(503);
      assertThat(refused.getString("error")).contains("Visa expert");
      assertThat(served(alice)).isEqualTo(Map.of("general", true, "visa", false));

      String other = api.expect(201, HttpMethod.POST, "/api/conversations", alice.token(),
          new JsonObject().put("title", "other")).getString("conversationId");
      socket.enter(other);
      JsonObject stillAnswering = ask(socket, other, "q4");
      assertThat(stillAnswering.getString("content")).as("the first profile by default").isEqualTo("general answer");

      // The bridge twin of PATCH switches the first conversation back.
      JsonObject updated = socket.call("client.conversation.update",
          new JsonObject().put("conversationId", conversation).put("assistantId", "general"));
      assertThat(updated.getString("assistantId")).isEqualTo("general");
      assertThat(socket.awaitEvent(e -> "assistant_changed".equals(e.getString("type"))
          && conversation.equals(e.getString("conversationId")), WAIT).getString("assistantId")).isEqualTo("general");
      assertThat(ask(socket, conversation, "q5").getString("content")).isEqualTo("general answer");
    }

    JsonObject usage = api.expect(200, HttpMethod.GET, "/api/usage", alice.token(), null);
    Map<Object, Long> answersByAssistant = new java.util.HashMap<>();
    usage.getJsonArray("assistants").stream().map(JsonObject.class::cast)
        .forEach(a -> answersByAssistant.put(a.getString("assistantId"), a.getLong("answers")));
    assertThat(answersByAssistant).isEqualTo(Map.of("general", 3L, "visa", 1L));
  }

  @Test
  void theComposeFileRunsAnExpertPoolThatScalesOnItsOwn() throws IOException {
    String text = Files.readString(Path.of("..", "docker-compose.yml"));
    Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, Object> expert = services.get("llm-expert");
    assertThat(expert).as("an llm-expert service").isNotNull();
    assertThat(expert).as("scalable: no fixed name or host port").doesNotContainKeys("container_name", "ports");
    assertThat(String.valueOf(expert.get("environment"))).contains("LLM_ASSISTANTS");
    assertThat(String.valueOf(services.get("llm").get("environment"))).contains("LLM_ASSISTANTS");
    assertThat(text).contains("--scale llm-expert=");
  }

  private Map<String, Boolean> served(Account user) {
    JsonObject listing = api.expect(200, HttpMethod.GET, "/api/assistants", user.token(), null);
    Map<String, Boolean> served = new java.util.TreeMap<>();
    listing.getJsonArray("assistants").stream().map(JsonObject.class::cast)
        .forEach(a -> served.put(a.getString("id"), a.getBoolean("served")));
    return served;
  }

  /** Asks in the conversation and follows the answer to its end; checks ai_thinking named the assistant. */
  private static JsonObject ask(BridgeClient socket, String conversationId, String clientMsgId) {
    socket.call("client.chat.send", new JsonObject().put("conversationId", conversationId)
        .put("text", "question " + clientMsgId).put("clientMsgId", clientMsgId).put("ai", true));
    JsonObject thinking = socket.awaitEvent(e -> "ai_thinking".equals(e.getString("type"))
        && conversationId.equals(e.getString("conversationId")), WAIT);
    JsonObject terminal = socket.followStream(thinking.getString("streamId"), chunk -> { }, WAIT);
    if ("ai_response_complete".equals(terminal.getString("type"))) {
      assertThat(thinking.getString("assistantId")).isEqualTo(terminal.getString("assistantId"));
      assertThat(thinking.getString("model")).isEqualTo(terminal.getString("model"));
    }
    return terminal;
  }

  private static String systemPrompt(JsonObject providerRequest) {
    JsonObject first = providerRequest.getJsonArray("messages").getJsonObject(0);
    assertThat(first.getString("role")).isEqualTo("system");
    return first.getString("content");
  }
}
