package io.chorus.llm;

import io.chorus.llm.provider.ChatProvider;
import io.chorus.llm.provider.DemoProvider;
import io.chorus.llm.provider.OpenAiProvider;
import io.chorus.model.Ack;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.Timers;
import io.chorus.model.assistants.AssistantProfile;
import io.chorus.model.ops.NodeOps;
import io.chorus.model.ops.NodeStatusBoard;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.chorus.model.streams.StreamRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM worker: consumes {@code llm.assistant.<id>.start} for each assistant profile it serves
 * ({@code LLM_ASSISTANTS}; several workers share an address, the event bus spreads the answers) and
 * {@code llm.completion.start} when it serves the deployment's first profile (requests that name none), streams
 * each answer to {@code conv.<id>.events} and stores it through {@code storage.message.append}. It answers
 * {@code llm.assistant.<id>.probe} so the gateway can tell which profiles are served. The logic is in
 * {@link CompletionRunner} and {@link StreamSession}.
 */
public final class LlmVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LlmVerticle.class);

  private final LlmConfig config;
  private final List<ChatProvider> providers = new ArrayList<>();
  private CompletionRunner runner;
  /** Where questions arrive: unregistered first when draining. */
  private final List<MessageConsumer<JsonObject>> starts = new ArrayList<>();

  /** Its settings, read (and checked) by whoever deploys it, before it joins the cluster. */
  public LlmVerticle(LlmConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Future<?> start() {
    String workerId = UUID.randomUUID().toString();
    StreamRegistry registry = new SharedDataStreamRegistry(vertx);
    MeterRegistry meters = NodeOps.of(vertx).meters();
    StreamMeters streamMeters = new StreamMeters(meters);
    BusConversationPort port = new BusConversationPort(vertx.eventBus());
    Map<String, StreamTools> toolsByAssistant = new LinkedHashMap<>();
    try {
      for (LlmConfig.ServedAssistant served : config.served()) {
        ChatProvider provider = createProvider(vertx, served.settings());
        providers.add(provider);
        AssistantProfile profile = served.profile();
        toolsByAssistant.put(profile.id(), new StreamTools(provider,
            new AnsweringAssistant(port, profile.id(), served.settings().model(), meters),
            ContextBuilder.from(served.settings()), registry, workerId, config.chunkWindowMs(), Timers.of(vertx),
            streamMeters, ProviderLimiter.of(served.settings().limits())));
      }
    } catch (IllegalArgumentException e) {
      providers.forEach(ChatProvider::close);
      return Future.failedFuture(e);
    }
    String firstProfile = config.assistants().first().id();
    runner = new CompletionRunner(assistantId -> toolsByAssistant.get(assistantId == null ? firstProfile : assistantId),
        config.maxStreams(), config.queueSize());
    Gauge.builder("chorus.llm.streams.active", runner, CompletionRunner::activeStreams)
        .description("answers this worker is generating").register(meters);
    Gauge.builder("chorus.llm.streams.waiting", runner, CompletionRunner::waitingStreams)
        .description("answers waiting for a free slot on this worker").register(meters);
    // The lease tells the cluster this worker is alive; a watchdog ends the streams of a worker that is not.
    // Taken before the first question can arrive, so no stream of this worker is ever seen without it.
    return registry.renewLease(workerId).compose(leased -> {
      vertx.setPeriodic(SharedDataStreamRegistry.RENEW_EVERY_MS, id -> registry.renewLease(workerId));
      List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
      if (toolsByAssistant.containsKey(firstProfile)) {
        starts.add(Bus.consume(vertx.eventBus(), Addresses.LLM_COMPLETION_START, runner::start));
      }
      for (String assistantId : toolsByAssistant.keySet()) {
        starts.add(Bus.consume(vertx.eventBus(), Addresses.llmAssistantStart(assistantId), runner::start));
        consumers.add(Bus.consume(vertx.eventBus(), Addresses.llmAssistantProbe(assistantId),
            ack -> Future.succeededFuture(Ack.INSTANCE)));
      }
      consumers.addAll(starts);
      consumers.add(Bus.consume(vertx.eventBus(), Addresses.llmWorkerStop(workerId), runner::stop));
      // For the admin's cluster view: what it serves and how busy it is.
      NodeStatusBoard.start(vertx, NodeStatusBoard.LLM, () -> new JsonObject().put("workerId", workerId)
          .put("assistants", new JsonArray(new ArrayList<>(toolsByAssistant.keySet())))
          .put("answersRunning", runner.activeStreams()).put("answersWaiting", runner.waitingStreams())
          .put("draining", NodeOps.of(vertx).draining()));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }).onSuccess(v -> log.info(
        "LLM worker {} listening on {} with {}", workerId,
        starts.stream().map(MessageConsumer::address).toList(),
        config.served().stream().map(s -> s.profile().id() + "=" + providers.get(config.served().indexOf(s)).describe()
            + " (" + s.settings().limits() + ")").toList()));
  }

  /**
   * Drains: takes no new questions (other workers get them), lets the answers it owns finish for up to
   * {@code LLM_DRAIN_MS}, then ends the rest with an error event (partial text kept) rather than leave
   * rooms waiting. Stop requests keep working meanwhile.
   */
  @Override
  public Future<?> stop() {
    if (runner == null) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    long deadline = vertx.setTimer(Math.max(1, config.drainMs()), id -> drained.tryComplete());
    Future.join(starts.stream().map(MessageConsumer::unregister).toList()).onComplete(ar -> {
      log.info("LLM worker draining: {} running, {} waiting, up to {} ms", runner.activeStreams(),
          runner.waitingStreams(), config.drainMs());
      runner.allEnded().onComplete(done -> drained.tryComplete());
    });
    return drained.future()
        .compose(v -> {
          vertx.cancelTimer(deadline);
          return runner.abortAll("the assistant worker stopped");
        })
        .eventually(() -> Future.join(providers.stream().map(ChatProvider::close).toList()));
  }

  /**
   * The configured provider; the HTTP ones retry a request that failed before its first token
   * ({@code LLM_RETRIES}, {@code LLM_RETRY_BACKOFF_MS}).
   */
  static ChatProvider createProvider(Vertx vertx, LlmConfig config) {
    if (config.isDemo()) {
      log.warn("LLM_PROVIDER=demo: answers are canned demo text, not a model. "
          + "Set LLM_PROVIDER=openai or anthropic, LLM_BASE_URL, LLM_API_KEY and LLM_MODEL for real answers.");
      return new DemoProvider(vertx, config.demoDelayMs());
    }
    ChatProvider http = LlmConfig.ANTHROPIC.equals(config.provider())
        ? new io.chorus.llm.provider.AnthropicProvider(vertx, config)
        : new OpenAiProvider(vertx, config);
    if (config.retries() == 0) {
      return http;
    }
    return new io.chorus.llm.provider.RetryingProvider(vertx, http,
        io.chorus.llm.provider.RetryPolicy.from(config));
  }
}
