package io.chorus.bench;

import io.chorus.fixtures.BridgeSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S concurrent AI answers, each streamed by the embedded {@link FakeProvider} at T tokens/s: the first
 * member of each of S rooms of K ({@code --stream-members}) sends one {@code ai:true} message, all at the
 * same moment, and every member follows its room's {@code ai_response_chunk}s, so S x K x N tokens are
 * relayed. Measures tokens/s relayed, provider-emission-to-client latency per token,
 * time to first token, and lost, duplicated and out-of-order chunks and tokens.
 */
final class StreamScenario {
  /** How long after the last answer's model request tokens count as settled (its first tokens included). */
  private static final long SETTLE_NANOS = 500_000_000L;

  private StreamScenario() {}

  static Result run(Target target, Options options, LagMonitor lag, FakeProvider provider) {
    if (options.warmupS() > 0 && provider != null) {
      // The same answers, unreported and only --warmup seconds long: the JIT compiles the relay's code,
      // which takes a cold server tens of seconds of CPU, before anything is measured.
      // Rounds of them until --warmup seconds have passed, each round no longer than the measured one.
      int warmTokens = Math.max(1, Math.min(options.tokens(), options.warmupS() * options.tokensPerSecond()));
      long warmUntil = System.nanoTime() + options.warmupS() * 1_000_000_000L;
      provider.answerWith(warmTokens);
      for (int round = 1; round == 1 || System.nanoTime() < warmUntil; round++) {
        System.out.printf(Locale.ROOT, "  warm-up %d: %d answers of %d tokens%n", round, options.streams(), warmTokens);
        measure(target, options, new LagMonitor(target.vertx, target.loops), provider, options.streams(), warmTokens,
            "w" + round);
      }
      provider.answerWith(options.tokens());
    } else if (options.warmupS() > 0) {
      System.out.println("  warm-up: one answer");
      measure(target, options, new LagMonitor(target.vertx, target.loops), null, 1, options.tokens(), "w");
    }
    return measure(target, options, lag, provider, options.streams(), options.tokens(), "stream");
  }

  private static Result measure(Target target, Options options, LagMonitor lag, FakeProvider provider, int streams,
      int tokens, String scenario) {
    // K members per room (1 by default: then the numbers are the relay's alone, not fanout's).
    int members = options.streamMembers();
    int sockets = streams * members;
    Rooms rooms = Rooms.create(target, scenario, sockets, members);
    Latency tokenLatency = new Latency();
    // Tokens the provider wrote once every answer was under way: the relay without the start's burst of asks.
    Latency settledLatency = new Latency();
    // When tokens start to count as settled: half a second after the last answer's model request; until
    // then never (Long.MAX_VALUE itself, so no sum can overflow).
    AtomicLong settledFrom = new AtomicLong(Long.MAX_VALUE);
    Latency firstToken = new Latency();
    Map<Integer, StreamLedger> ledgers = new ConcurrentHashMap<>();
    Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    AtomicLong tokensReceived = new AtomicLong();
    AtomicLong lastReceipt = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Map<Integer, String> errorCodes = new ConcurrentHashMap<>();
    long providerRequestsBefore = provider == null ? 0 : provider.requests();
    long providerTokensBefore = provider == null ? 0 : provider.tokensEmitted();

    for (int i = 0; i < sockets; i++) {
      int member = i;
      int asker = i - i % members;
      rooms.sockets.get(i).onEvent(event -> {
        String type = event.getString("type");
        if (type == null || event.getString("streamId") == null) {
          return;
        }
        long now = System.nanoTime();
        StreamLedger ledger = ledgers.computeIfAbsent(member, k -> new StreamLedger(tokens));
        switch (type) {
          case "ai_response_chunk" -> {
            int index = event.getInteger("index", -1);
            if (index < 0) {
              return;
            }
            if (ledger.firstChunkNanos() < 0 && sentAt.containsKey(asker)) {
              firstToken.recordNanos(now - sentAt.get(asker));
            }
            List<TokenCodec.Token> arrived = ledger.chunk(index, event.getString("delta", ""), now);
            for (TokenCodec.Token token : arrived) {
              tokenLatency.recordNanos(now - token.emitNanos());
              if (token.emitNanos() > settledFrom.get()) {
                settledLatency.recordNanos(now - token.emitNanos());
              }
            }
            tokensReceived.addAndGet(arrived.size());
            lastReceipt.accumulateAndGet(now, Math::max);
          }
          case "ai_response_complete" -> ledger.completed(event.getString("content"));
          case "ai_response_error" -> {
            ledger.failed();
            errors.incrementAndGet();
            errorCodes.put(member, String.valueOf(event.getValue("code")));
          }
          default -> { }
        }
      });
    }

    RunProbes probes = new RunProbes(target, lag);
    probes.start();
    long start = System.nanoTime();
    // Every ask is sent at the start, so arrival - start is the server's work before it calls the model.
    Latency askToProvider = new Latency();
    AtomicLong providerRequests = new AtomicLong();
    if (provider != null) {
      provider.onRequest(arrival -> {
        askToProvider.recordNanos(arrival - start);
        if (providerRequests.incrementAndGet() == streams) {
          settledFrom.set(arrival + SETTLE_NANOS);
        }
      });
    }
    AtomicLong sendFailures = new AtomicLong();
    for (int r = 0; r < streams; r++) {
      int asker = r * members;
      BridgeSocket socket = rooms.sockets.get(asker);
      // With --ask-spread the questions go out one after another over that window, else all at once.
      long delayMs = options.askSpreadMs() * (long) r / streams;
      Runnable ask = () -> {
        sentAt.put(asker, System.nanoTime());
        JsonObject body = new JsonObject().put("conversationId", rooms.conversationOf(asker))
            .put("text", "bench stream " + asker).put("clientMsgId", target.runTag + "-" + scenario + "-" + asker).put("ai", true);
        socket.request("client.chat.send", body).onFailure(err -> sendFailures.incrementAndGet());
      };
      socket.context().runOnContext(v -> {
        if (delayMs == 0) {
          ask.run();
        } else {
          target.vertx.setTimer(delayMs, t -> ask.run());
        }
      });
    }
    // The answers take tokens / T seconds; allow generous extra time for queueing and the drain.
    double answerSeconds = tokens / (double) options.tokensPerSecond() + options.askSpreadMs() / 1000.0;
    long deadline = start + (long) ((answerSeconds * 3 + 30 + options.drainS()) * 1e9);
    while (System.nanoTime() < deadline) {
      long ended = ledgers.values().stream().filter(StreamLedger::ended).count();
      if (ended + sendFailures.get() * members >= sockets) {
        break;
      }
      Await.sleep(50);
    }
    double seconds = (Math.max(lastReceipt.get(), start + 1) - start) / 1e9;

    long completed = 0, contentOk = 0, chunks = 0, chunksLost = 0, chunkDup = 0, chunkOoo = 0, tokensLost = 0,
        tokenDup = 0, malformed = 0;
    for (int i = 0; i < sockets; i++) {
      StreamLedger l = ledgers.get(i);
      if (l == null) {
        tokensLost += tokens;
        continue;
      }
      completed += l.completedOk() ? 1 : 0;
      contentOk += l.contentMatches() ? 1 : 0;
      chunks += l.chunksReceived();
      chunksLost += l.chunksLost();
      chunkDup += l.chunkDuplicates();
      chunkOoo += l.chunkOutOfOrder();
      tokensLost += l.tokensLost();
      tokenDup += l.tokenDuplicates();
      malformed += l.malformed();
    }
    long unended = sockets - ledgers.values().stream().filter(StreamLedger::ended).count();
    double tokensPerSecond = tokensReceived.get() / seconds;
    JsonObject json = new JsonObject().put("streams", streams).put("membersPerRoom", members)
        .put("tokensPerSecondEach", options.tokensPerSecond())
        .put("tokensPerAnswer", tokens).put("chunkWindowMs", options.chunkWindowMs())
        .put("askSpreadMs", options.askSpreadMs())
        .put("sendFailures", sendFailures.get()).put("completed", completed).put("errors", errors.get())
        .put("notEnded", unended).put("contentMatches", contentOk)
        .put("tokensExpected", (long) sockets * tokens).put("tokensReceived", tokensReceived.get())
        .put("tokensLost", tokensLost).put("tokenDuplicates", tokenDup).put("malformedTokens", malformed)
        .put("chunksReceived", chunks).put("chunksLost", chunksLost).put("chunkDuplicates", chunkDup)
        .put("chunksOutOfOrder", chunkOoo).put("tokensPerSecondRelayed", tokensPerSecond)
        .put("seconds", seconds).put("tokenLatency", tokenLatency.toJson())
        .put("tokenLatencySettled", settledLatency.toJson()).put("timeToFirstToken", firstToken.toJson())
        .put("askToProviderRequest", askToProvider.toJson());
    if (provider != null) {
      json.put("providerRequests", provider.requests() - providerRequestsBefore)
          .put("providerTokensEmitted", provider.tokensEmitted() - providerTokensBefore);
    }
    if (!errorCodes.isEmpty()) {
      JsonObject codes = new JsonObject();
      errorCodes.forEach((asker, code) -> codes.put(Integer.toString(asker), code));
      json.put("errorCodes", codes);
    }
    String probeText = probes.finish(json);
    String text = String.format(Locale.ROOT, """
          %d answers at once to rooms of %d, %d tokens each at %d tokens/s (LLM_CHUNK_WINDOW_MS %s)
          per member: completed %d, errors %d, not ended %d; send failures %d; content = joined chunks in %d
          tokens: expected %d, received %d, lost %d, duplicated %d; %.0f tokens/s relayed over %.1f s
          chunks: received %d, lost %d, duplicated %d, out of order %d
          provider -> client per token: %s
            once all were under way:    %s
          time to first token:          %s
          ask -> provider request:      %s
        """, streams, members, tokens, options.tokensPerSecond(),
        options.url() == null ? Integer.toString(options.chunkWindowMs()) : "as the server is set",
        completed, errors.get(), unended, sendFailures.get(), contentOk, (long) sockets * tokens,
        tokensReceived.get(), tokensLost, tokenDup, tokensPerSecond, seconds, chunks, chunksLost, chunkDup, chunkOoo,
        tokenLatency.summary(), settledLatency.summary(), firstToken.summary(), askToProvider.summary()) + probeText;
    rooms.close();
    return new Result("stream", json, text);
  }
}
